//! The compiled tests evaluated over a block of people at once, as bit sets.
//!
//! A person target's population and criterion are trees of `and`, `or` and
//! `not` over conditions. Over a block of [`BLOCK`] people on one date, each
//! node of these trees is evaluated at most once per person, and only for the
//! people still in question: `and` narrows the set item by item, `or` leaves
//! out those already in. A node's answers are kept as a bit set, so targets
//! that share a population or a single condition share the work, and counting
//! the people who meet a target is a popcount.

use std::collections::HashMap;

use crate::expr::check::{Node, Pred};
use crate::expr::compile::{self, Done, Frame, PersonAt, Test};
use crate::snapshot::{Snapshot, UnitTree};
use nangluc_core::employment::Category;
use nangluc_core::unit::UnitLevel;

/// Words of a block's bit set.
pub const WORDS: usize = 16;
/// People in a block: small enough that their rows stay in the cache while
/// the block is taken through every date of an evaluation.
pub const BLOCK: usize = WORDS * 64;

/// A set of people of one block, by position in the block.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Bits([u64; WORDS]);

impl Bits {
    pub const EMPTY: Bits = Bits([0; WORDS]);

    #[inline]
    pub fn set(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }

    #[inline]
    pub fn get(&self, i: usize) -> bool {
        self.0[i / 64] >> (i % 64) & 1 == 1
    }

    #[inline]
    pub fn and(&self, o: &Bits) -> Bits {
        Bits(std::array::from_fn(|w| self.0[w] & o.0[w]))
    }

    #[inline]
    pub fn or(&self, o: &Bits) -> Bits {
        Bits(std::array::from_fn(|w| self.0[w] | o.0[w]))
    }

    /// The people of `self` not in `o`.
    #[inline]
    pub fn without(&self, o: &Bits) -> Bits {
        Bits(std::array::from_fn(|w| self.0[w] & !o.0[w]))
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }

    #[inline]
    pub fn count(&self) -> u64 {
        self.0.iter().map(|w| w.count_ones() as u64).sum()
    }

    /// The positions in the set, in increasing order.
    pub fn ones(&self) -> Ones<'_> {
        Ones { words: &self.0, w: 0, bits: self.0[0] }
    }
}

/// The positions of a [`Bits`], in increasing order.
pub struct Ones<'a> {
    words: &'a [u64; WORDS],
    w: usize,
    bits: u64,
}

impl Iterator for Ones<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        while self.bits == 0 {
            self.w += 1;
            if self.w == WORDS {
                return None;
            }
            self.bits = self.words[self.w];
        }
        let i = self.bits.trailing_zeros() as usize;
        self.bits &= self.bits - 1;
        Some(self.w * 64 + i)
    }
}

/// A block of people on one date: each person's state, and what the
/// commonest conditions read, gathered once (who is in each category, at
/// each level of unit, who holds a post, who has a role at all).
pub(crate) struct People<'s> {
    pub pas: Vec<PersonAt<'s>>,
    category: [Bits; CATEGORIES],
    level: [Bits; LEVELS],
    leaders: Bits,
    with_roles: Bits,
}

/// Categories, by discriminant (as in the compiled conditions' bit masks).
const CATEGORIES: usize = Category::ALL.len();
/// Unit levels, by discriminant.
const LEVELS: usize = UnitLevel::ALL.len();

impl<'s> People<'s> {
    pub fn new() -> Self {
        People { pas: Vec::with_capacity(BLOCK), category: [Bits::EMPTY; CATEGORIES], level: [Bits::EMPTY; LEVELS], leaders: Bits::EMPTY, with_roles: Bits::EMPTY }
    }

    pub fn clear(&mut self) {
        self.pas.clear();
        self.category = [Bits::EMPTY; CATEGORIES];
        self.level = [Bits::EMPTY; LEVELS];
        self.leaders = Bits::EMPTY;
        self.with_roles = Bits::EMPTY;
    }

    /// Adds the next person of the block (`tree`: the units on the date).
    pub fn push(&mut self, snap: &Snapshot, tree: &UnitTree, pa: PersonAt<'s>) {
        let i = self.pas.len();
        if let Some(u) = pa.unit {
            self.level[tree.units[u as usize].level as usize].set(i);
        }
        if let Some(e) = pa.emp {
            self.category[e.category as usize].set(i);
            if e.post.is_some() {
                self.leaders.set(i);
            }
        }
        if !snap.roles.of(pa.p).is_empty() {
            self.with_roles.set(i);
        }
        self.pas.push(pa);
    }
}

/// The union of the sets whose bit is in `mask`.
fn any_of(mask: u64, sets: &[Bits]) -> Bits {
    let mut yes = Bits::EMPTY;
    for (k, bits) in sets.iter().enumerate() {
        if mask >> k & 1 == 1 {
            yes = yes.or(bits);
        }
    }
    yes
}

/// A condition tested for the people of a block (`need`) on a date.
type BlockTest = Box<dyn Fn(&Frame, &[PersonAt], &Bits) -> Bits + Send + Sync>;

/// Conditions compiled for blocks: the condition's code inlined in the loop.
struct Many;

impl compile::Emit for Many {
    type Out = BlockTest;
    fn emit<F: Fn(&Frame, &PersonAt) -> bool + Send + Sync + 'static>(f: F) -> BlockTest {
        Box::new(move |frame, pas, need| {
            let mut yes = Bits::EMPTY;
            for i in need.ones() {
                if f(frame, &pas[i]) {
                    yes.set(i);
                }
            }
            yes
        })
    }
}

enum Op {
    Const(bool),
    And(Vec<usize>),
    Or(Vec<usize>),
    Not(usize),
    /// A condition, compiled for a block.
    Atom(BlockTest),
    /// `category in [...]`: the categories' bit mask, read off the columns.
    Category(u64),
    /// `level in [...]`: the levels' bit mask, read off the columns.
    Level(u64),
    /// A condition that only a holder of a post can meet.
    Leaders(BlockTest),
    /// A condition that only a person with some role can meet.
    WithRoles(BlockTest),
    /// `completed(...)`: also resolved for the block's lists of courses when
    /// its window is the same for everyone.
    Completed { filter: compile::Filter, test: Test },
}

/// The trees of the tests, each distinct node (by its checked expression)
/// once.
#[derive(Default)]
pub(crate) struct Program {
    ops: Vec<Op>,
    keys: HashMap<String, usize>,
}

impl Program {
    fn intern(&mut self, key: String, make: impl FnOnce(&mut Self) -> Op) -> usize {
        if let Some(&i) = self.keys.get(&key) {
            return i;
        }
        let op = make(self);
        self.ops.push(op);
        self.keys.insert(key, self.ops.len() - 1);
        self.ops.len() - 1
    }

    /// The node of a checked predicate.
    pub fn node(&mut self, node: &Node, snap: &Snapshot) -> usize {
        self.intern(format!("{:?}", node.pred), |pg| match &node.pred {
            Pred::Const { value } => Op::Const(*value),
            Pred::And { items } => Op::And(items.iter().map(|n| pg.node(n, snap)).collect()),
            Pred::Or { items } => Op::Or(items.iter().map(|n| pg.node(n, snap)).collect()),
            Pred::Not { item } => Op::Not(pg.node(item, snap)),
            Pred::Completed { filter } => Op::Completed { filter: compile::Filter::new(snap, filter), test: compile::compile(node, snap) },
            Pred::Category { set } => Op::Category(set.iter().fold(0, |m, c| m | 1 << (*c as u32))),
            Pred::Level { set } => Op::Level(set.iter().fold(0, |m, l| m | 1 << (*l as u32))),
            Pred::IsLeader | Pred::IsHead | Pred::Post { .. } | Pred::PostRank { .. } => Op::Leaders(compile::compile_condition::<Many>(node, snap)),
            Pred::Role { .. } => Op::WithRoles(compile::compile_condition::<Many>(node, snap)),
            _ => Op::Atom(compile::compile_condition::<Many>(node, snap)),
        })
    }

    pub fn constant(&mut self, value: bool) -> usize {
        self.intern(format!("const {value}"), |_| Op::Const(value))
    }

    /// The conjunction of nodes.
    pub fn all(&mut self, items: Vec<usize>) -> usize {
        self.intern(format!("all {items:?}"), |_| Op::And(items))
    }

    pub fn len(&self) -> usize {
        self.ops.len()
    }
}

/// The answers of the nodes for one block on one date, each person's
/// computed on first use; and the courses each person has done, listed once
/// for all the conditions that look at them.
pub(crate) struct Memo {
    /// A node's answers are valid for the current block and date only if
    /// its generation is the current one (no clearing between blocks).
    generation: Vec<u32>,
    current: u32,
    known: Vec<Bits>,
    value: Vec<Bits>,
    /// The courses completed, listed once per block for every date that is
    /// not a forecast.
    completed: Courses,
    /// The courses done as of a forecast date (enrolled ones count too).
    forecast: Courses,
    scratch: Vec<Done>,
    /// Counts the blocks, for [`Memo::matching`].
    block: u32,
    /// Per `completed(...)` node: its matching courses in the current block.
    matching: Vec<Matching>,
}

#[derive(Default)]
struct Matching {
    block: u32,
    courses: Courses,
}

#[derive(Default)]
struct Courses {
    listed: Bits,
    spans: Vec<(u32, u32)>,
    /// Per person, the [`compile::programme_bit`]s of their courses.
    programmes: Vec<u64>,
    done: Vec<Done>,
}

impl Courses {
    fn clear(&mut self) {
        self.listed = Bits::EMPTY;
        self.done.clear();
    }

    fn of(&self, i: usize) -> &[Done] {
        let (a, b) = self.spans[i];
        &self.done[a as usize..b as usize]
    }
}

impl Memo {
    pub fn new(pg: &Program) -> Self {
        let n = pg.len();
        let courses = || Courses { spans: vec![(0, 0); BLOCK], programmes: vec![0; BLOCK], ..Courses::default() };
        Memo { generation: vec![0; n], current: 1, known: vec![Bits::EMPTY; n], value: vec![Bits::EMPTY; n], completed: courses(), forecast: courses(), scratch: Vec::new(), block: 1, matching: (0..n).map(|_| Matching::default()).collect() }
    }

    /// Forgets everything: a new block follows.
    pub fn next_block(&mut self) {
        self.completed.clear();
        self.block = self.block.wrapping_add(1);
        self.next_date();
    }

    /// The completed courses of person `i` (listed) that pass the programme
    /// conditions of node `n`, a `completed(...)`: kept for the block's other
    /// dates, which then check only these.
    fn matching(&mut self, n: usize, filter: &compile::Filter, i: usize) -> &[Done] {
        let block = self.block;
        let m = &mut self.matching[n];
        if m.block != block {
            m.block = block;
            m.courses.clear();
            if m.courses.spans.len() < BLOCK {
                m.courses.spans = vec![(0, 0); BLOCK];
            }
        }
        if !m.courses.listed.get(i) {
            m.courses.listed.set(i);
            let a = m.courses.done.len() as u32;
            m.courses.done.extend(self.completed.of(i).iter().filter(|c| filter.passes(c.prog)));
            m.courses.spans[i] = (a, m.courses.done.len() as u32);
        }
        m.courses.of(i)
    }

    /// Forgets the answers of the date: the same block on another date follows.
    pub fn next_date(&mut self) {
        self.current = self.current.wrapping_add(1);
        if self.current == 0 {
            self.generation.fill(0);
            self.current = 1;
        }
        self.forecast.clear();
    }

    /// The people of `mask` for whom node `n` holds, among the block's
    /// `people` on the frame's date.
    pub fn eval(&mut self, pg: &Program, n: usize, mask: &Bits, f: &Frame, people: &People) -> Bits {
        if self.generation[n] != self.current {
            self.generation[n] = self.current;
            self.known[n] = Bits::EMPTY;
            self.value[n] = Bits::EMPTY;
        }
        let need = mask.without(&self.known[n]);
        if !need.is_empty() {
            let got = match &pg.ops[n] {
                Op::Const(v) => {
                    if *v {
                        need
                    } else {
                        Bits::EMPTY
                    }
                }
                Op::And(items) => {
                    let mut m = need;
                    for &i in items {
                        if m.is_empty() {
                            break;
                        }
                        m = self.eval(pg, i, &m, f, people);
                    }
                    m
                }
                Op::Or(items) => {
                    let (mut yes, mut rest) = (Bits::EMPTY, need);
                    for &i in items {
                        if rest.is_empty() {
                            break;
                        }
                        let got = self.eval(pg, i, &rest, f, people);
                        yes = yes.or(&got);
                        rest = rest.without(&got);
                    }
                    yes
                }
                Op::Not(i) => need.without(&self.eval(pg, *i, &need, f, people)),
                Op::Completed { filter, test } => match filter.common_bounds(f) {
                    Some((lo, hi)) if !f.forecast => {
                        let d = f.day;
                        let mut yes = Bits::EMPTY;
                        let bits = filter.programme_bits();
                        for i in need.ones() {
                            self.list(f, &people.pas, i);
                            if self.completed.programmes[i] & bits == 0 {
                                continue;
                            }
                            let hit = self.matching(n, filter, i).iter().any(|c| c.from <= d && d < c.until && c.ends >= lo && c.ends <= hi);
                            if hit {
                                yes.set(i);
                            }
                        }
                        yes
                    }
                    _ => self.each_done(f, &people.pas, &need, test),
                },
                Op::Atom(test) => test(f, &people.pas, &need),
                Op::Category(m) => any_of(*m, &people.category).and(&need),
                Op::Level(m) => any_of(*m, &people.level).and(&need),
                Op::Leaders(test) => test(f, &people.pas, &need.and(&people.leaders)),
                Op::WithRoles(test) => test(f, &people.pas, &need.and(&people.with_roles)),
            };
            self.known[n] = self.known[n].or(&need);
            self.value[n] = self.value[n].or(&got);
        }
        self.value[n].and(mask)
    }

    /// A `completed(...)` condition tested person by person, with the list
    /// of their courses done.
    fn each_done(&mut self, f: &Frame, pas: &[PersonAt], need: &Bits, test: &Test) -> Bits {
        let mut yes = Bits::EMPTY;
        for i in need.ones() {
            self.list(f, pas, i);
            let done = if f.forecast { self.forecast.of(i) } else { self.completed.of(i) };
            if test(f, &PersonAt { done: Some(done), ..pas[i] }) {
                yes.set(i);
            }
        }
        yes
    }

    /// Lists the courses done by the person at position `i`, once per block
    /// (once per date in a forecast).
    fn list(&mut self, f: &Frame, pas: &[PersonAt], i: usize) {
        let courses = if f.forecast { &mut self.forecast } else { &mut self.completed };
        if courses.listed.get(i) {
            return;
        }
        courses.listed.set(i);
        let mut one = std::mem::take(&mut self.scratch);
        if f.forecast {
            compile::done_courses(f, pas[i].p, &mut one);
        } else {
            compile::completed_courses(f.snap, pas[i].p, &mut one);
        }
        let a = courses.done.len() as u32;
        courses.done.extend_from_slice(&one);
        courses.spans[i] = (a, courses.done.len() as u32);
        courses.programmes[i] = one.iter().fold(0, |m, c| m | compile::programme_bit(c.prog));
        self.scratch = one;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_sets_count_combine_and_list_in_order() {
        let mut a = Bits::EMPTY;
        for i in [0, 5, 63, 64, 700, BLOCK - 1] {
            a.set(i);
        }
        let mut b = Bits::EMPTY;
        for i in [5, 64, 65] {
            b.set(i);
        }
        assert_eq!(a.count(), 6);
        assert_eq!(a.ones().collect::<Vec<_>>(), vec![0, 5, 63, 64, 700, BLOCK - 1]);
        assert_eq!(a.and(&b).ones().collect::<Vec<_>>(), vec![5, 64]);
        assert_eq!(a.or(&b).count(), 7);
        assert_eq!(a.without(&b).ones().collect::<Vec<_>>(), vec![0, 63, 700, BLOCK - 1]);
        assert!(a.get(700) && !a.get(701));
        assert!(Bits::EMPTY.is_empty() && !a.is_empty());
    }
}
