-- NăngLực: the registry search walks people in the Vietnamese order and stops
-- at a page's worth of matches. With the name's search key and the valid
-- time in the index, the walk tests each person without reading the table
-- (measured on the 40,000-person demo: 3 ms → 0.4 ms for "nguyen van"), and
-- the order by (sort_key, id) needs no sort. It replaces the index on sort_key
-- alone, its prefix.
CREATE INDEX people_sort_search ON people (sort_key, id, search_key, valid_from, valid_to, identity_number)
    WHERE superseded_at IS NULL;
DROP INDEX people_sort_key;
