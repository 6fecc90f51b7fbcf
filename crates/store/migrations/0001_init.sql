-- NăngLực: the audit trail, entity-id counters and one bitemporal table per
-- kind of fact. The type templates in braces and the common bitemporal
-- columns are expanded per engine (see src/dialect.rs).

CREATE TABLE changes (
    id {pk},
    at {ts} NOT NULL,
    actor TEXT NOT NULL,
    reason TEXT NOT NULL
);

CREATE TABLE id_counters (
    tbl TEXT PRIMARY KEY,
    next BIGINT NOT NULL
);

INSERT INTO id_counters (tbl, next) VALUES
    ('units', 1), ('unit_changes', 1), ('people', 1), ('employments', 1), ('roles', 1),
    ('qualifications', 1), ('job_positions', 1), ('position_requirements', 1),
    ('programmes', 1), ('institutions', 1), ('lecturers', 1), ('classes', 1), ('enrolments', 1);

CREATE TABLE units (
    {bitemporal},
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    level TEXT NOT NULL,
    kind TEXT NOT NULL,
    sector TEXT NOT NULL,
    parent_id BIGINT,
    minority_area {bool} NOT NULL
);

CREATE TABLE unit_changes (
    {bitemporal},
    unit_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    successor_id BIGINT,
    changed_on {date} NOT NULL,
    decision TEXT NOT NULL
);

CREATE TABLE people (
    {bitemporal},
    identity_number TEXT NOT NULL,
    family_name TEXT NOT NULL,
    middle_name TEXT NOT NULL,
    given_name TEXT NOT NULL,
    birth_date {date} NOT NULL,
    sex TEXT NOT NULL,
    ethnicity BIGINT NOT NULL,
    search_key TEXT NOT NULL,
    sort_key {bytes} NOT NULL
);

CREATE TABLE employments (
    {bitemporal},
    person_id BIGINT NOT NULL,
    unit_id BIGINT NOT NULL,
    category TEXT NOT NULL,
    rank TEXT,
    job_position_id BIGINT,
    post_code TEXT,
    post_rank TEXT,
    appointed_on {date},
    elected_on {date},
    minority_area {bool} NOT NULL
);

CREATE TABLE roles (
    {bitemporal},
    person_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    term TEXT,
    level TEXT,
    post TEXT,
    approved_on {date}
);

CREATE TABLE qualifications (
    {bitemporal},
    person_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    level TEXT NOT NULL,
    field TEXT,
    language TEXT,
    obtained_on {date} NOT NULL,
    evidence TEXT,
    enrolment_id BIGINT
);

CREATE TABLE job_positions (
    {bitemporal},
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    position_group TEXT NOT NULL
);

CREATE TABLE position_requirements (
    {bitemporal},
    position_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    min_level TEXT NOT NULL,
    field TEXT
);

CREATE TABLE programmes (
    {bitemporal},
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    topic TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    duration_periods BIGINT NOT NULL,
    grants_kind TEXT,
    grants_level TEXT,
    grants_field TEXT,
    grants_language TEXT
);

CREATE TABLE institutions (
    {bitemporal},
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL
);

CREATE TABLE lecturers (
    {bitemporal},
    institution_id BIGINT NOT NULL,
    full_name TEXT NOT NULL,
    guest {bool} NOT NULL,
    management_years BIGINT NOT NULL
);

CREATE TABLE classes (
    {bitemporal},
    code TEXT NOT NULL,
    programme_id BIGINT NOT NULL,
    institution_id BIGINT NOT NULL,
    starts_on {date} NOT NULL,
    ends_on {date} NOT NULL,
    place TEXT NOT NULL,
    form TEXT NOT NULL,
    min_size BIGINT NOT NULL,
    max_size BIGINT NOT NULL,
    status TEXT NOT NULL,
    planned_cost BIGINT NOT NULL
);

CREATE TABLE enrolments (
    {bitemporal},
    person_id BIGINT NOT NULL,
    programme_id BIGINT NOT NULL,
    class_id BIGINT,
    nominated_by BIGINT,
    status TEXT NOT NULL,
    starts_on {date} NOT NULL,
    ends_on {date} NOT NULL,
    attendance_pct BIGINT,
    result TEXT,
    certificate TEXT,
    cost BIGINT NOT NULL,
    funding TEXT NOT NULL
);

-- Entity lookups: every version of an entity, in valid-time order.
CREATE INDEX units_id ON units (id, valid_from);
CREATE INDEX unit_changes_id ON unit_changes (id, valid_from);
CREATE INDEX people_id ON people (id, valid_from);
CREATE INDEX employments_id ON employments (id, valid_from);
CREATE INDEX roles_id ON roles (id, valid_from);
CREATE INDEX qualifications_id ON qualifications (id, valid_from);
CREATE INDEX job_positions_id ON job_positions (id, valid_from);
CREATE INDEX position_requirements_id ON position_requirements (id, valid_from);
CREATE INDEX programmes_id ON programmes (id, valid_from);
CREATE INDEX institutions_id ON institutions (id, valid_from);
CREATE INDEX lecturers_id ON lecturers (id, valid_from);
CREATE INDEX classes_id ON classes (id, valid_from);
CREATE INDEX enrolments_id ON enrolments (id, valid_from);

-- Foreign lookups. Plain rather than partial: readings "as known at" a past
-- moment must find superseded rows too.
CREATE INDEX employments_person ON employments (person_id);
CREATE INDEX employments_unit ON employments (unit_id, valid_from);
CREATE INDEX qualifications_person ON qualifications (person_id);
CREATE INDEX qualifications_enrolment ON qualifications (enrolment_id) WHERE enrolment_id IS NOT NULL;
CREATE INDEX roles_person ON roles (person_id);
CREATE INDEX enrolments_person ON enrolments (person_id);
CREATE INDEX enrolments_class ON enrolments (class_id);
CREATE INDEX units_parent ON units (parent_id);
CREATE INDEX unit_changes_unit ON unit_changes (unit_id);
CREATE INDEX position_requirements_position ON position_requirements (position_id);
CREATE INDEX people_identity_number ON people (identity_number);
CREATE INDEX people_search_key ON people (search_key);
-- Name order among the people currently believed (search results).
CREATE INDEX people_sort_key ON people (sort_key) WHERE superseded_at IS NULL;
