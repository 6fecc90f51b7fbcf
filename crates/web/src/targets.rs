//! The active plan and the engine's snapshot of the store, kept in the
//! application state: the snapshot is built once (at start, on a blocking
//! thread) and rebuilt after a change is applied or when the day changes;
//! evaluation results are kept briefly, a few per (date, unit). The plan
//! itself is swapped when a new version is saved in the browser
//! ([`ActivePlan::replace`]): results and views go, the snapshot stays.

use std::any::Any;
use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::NaiveDate;
use nangluc_engine::{Options, Plan, PlanResult, Snapshot, SnapshotBuilder};
use nangluc_store::Store;

use crate::error::AppError;
use crate::fmt::today;

/// Where `nangluc serve` looks for the plan when no `--plan` is given.
pub const DEFAULT_PLAN: &str = "plans/tay-ninh-2021-2025.toml";
/// The default plan's text, built into the binary, so that `nangluc serve`
/// started outside the repository still has a plan on its first run.
pub const DEFAULT_PLAN_TEXT: &str = include_str!("../../../plans/tay-ninh-2021-2025.toml");

/// Results kept: a dashboard with its trend over five years is six.
const KEPT: usize = 48;

#[derive(Debug, Clone, PartialEq, Eq)]
struct Key {
    as_of: NaiveDate,
    unit: Option<String>,
    missing: bool,
    pace: bool,
}

impl Key {
    /// A result evaluated with more serves a request for less.
    fn serves(&self, want: &Key) -> bool {
        self.as_of == want.as_of
            && self.unit == want.unit
            && (self.missing || !want.missing)
            && (self.pace || !want.pace)
    }
}

struct Cache {
    /// The plan followed, and its version in the database (`None`: read
    /// from a file only). Changes with the generation.
    plan: Arc<Plan>,
    version: Option<i64>,
    /// Bumped by every applied change and every new plan.
    generation: u64,
    /// The snapshot, the generation it was built for and the day it stands for.
    snapshot: Option<(Arc<Snapshot>, u64, NaiveDate)>,
    /// Most recently used first; each with the generation it was computed on.
    results: VecDeque<(Key, u64, Arc<PlanResult>)>,
    /// Pages' view models built from the results (see [`ActivePlan::view`]),
    /// most recently used first, with the generation and day they were built on.
    views: VecDeque<(String, u64, NaiveDate, Arc<dyn Any + Send + Sync>)>,
}

/// Views kept: a dashboard per (date, unit, kind of viewer).
const VIEWS_KEPT: usize = 64;

/// The plan the dashboard follows, with its caches.
pub struct ActivePlan {
    /// The file the plan was first read from (empty when read from the database).
    pub path: PathBuf,
    cache: Mutex<Cache>,
    /// Held while a snapshot is built, so that only one is built at a time.
    building: Mutex<()>,
}

impl std::fmt::Debug for ActivePlan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ActivePlan")
            .field("id", &self.plan().id)
            .field("path", &self.path)
            .finish()
    }
}

impl ActivePlan {
    /// Reads and checks a plan file. The error lists every mistake with its
    /// line and column, in Vietnamese.
    pub fn load(path: &Path) -> Result<ActivePlan, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("không đọc được tệp kế hoạch '{}': {e}", path.display()))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let plan = Plan::parse(&text, &name).map_err(|errors| {
            let mut msg = format!(
                "tệp kế hoạch '{}' có {} lỗi, máy chủ không khởi động:",
                path.display(),
                errors.len()
            );
            for e in &errors {
                msg.push_str(&format!("\n  {e}"));
            }
            msg
        })?;
        Ok(ActivePlan::new(plan, path.to_path_buf()))
    }

    pub fn new(plan: Plan, path: PathBuf) -> ActivePlan {
        ActivePlan::stored(plan, None, path)
    }

    /// A plan read from the database at a version.
    pub fn stored(plan: Plan, version: Option<i64>, path: PathBuf) -> ActivePlan {
        ActivePlan {
            path,
            cache: Mutex::new(Cache {
                plan: Arc::new(plan),
                version,
                generation: 0,
                snapshot: None,
                results: VecDeque::new(),
                views: VecDeque::new(),
            }),
            building: Mutex::new(()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Cache> {
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The plan followed now.
    pub fn plan(&self) -> Arc<Plan> {
        Arc::clone(&self.lock().plan)
    }

    /// Its version in the database, if it came from there.
    pub fn version(&self) -> Option<i64> {
        self.lock().version
    }

    /// Follows a new version of the plan: every result and view computed
    /// with the old one is dropped (the dashboard moves at once); the
    /// snapshot of the data stays, the data did not change.
    pub fn replace(&self, plan: Plan, version: Option<i64>) {
        let mut c = self.lock();
        c.plan = Arc::new(plan);
        c.version = version;
        c.generation += 1;
        let generation = c.generation;
        if let Some((_, g, _)) = c.snapshot.as_mut()
            && *g + 1 == generation
        {
            *g = generation;
        }
        c.results.clear();
        c.views.clear();
    }

    /// The data changed: the snapshot and every result are stale.
    pub fn invalidate(&self) {
        let mut c = self.lock();
        c.generation += 1;
        c.results.clear();
        c.views.clear();
    }

    /// A view model built from the results, kept until the data changes or
    /// the day turns: the dashboard is read far more often than it changes,
    /// and building it walks every target's breakdown by unit. `key` must
    /// name everything the view depends on (date, unit, what the viewer may see).
    pub fn view<T: Any + Send + Sync>(
        &self,
        key: &str,
        build: impl FnOnce() -> Result<T, AppError>,
    ) -> Result<Arc<T>, AppError> {
        let day = today();
        let generation = {
            let mut c = self.lock();
            let generation = c.generation;
            if let Some(i) = c.views.iter().position(|(k, g, d, _)| k == key && *g == generation && *d == day) {
                let hit = c.views.remove(i).expect("present");
                let view = Arc::clone(&hit.3);
                c.views.push_front(hit);
                if let Ok(v) = view.downcast::<T>() {
                    return Ok(v);
                }
            }
            generation
        };
        let view = Arc::new(build()?);
        let mut c = self.lock();
        if c.generation == generation {
            c.views.retain(|(k, _, _, _)| k != key);
            c.views.push_front((key.to_string(), generation, day, Arc::clone(&view) as Arc<dyn Any + Send + Sync>));
            c.views.truncate(VIEWS_KEPT);
        }
        Ok(view)
    }

    fn fresh(&self) -> Option<(Arc<Snapshot>, u64)> {
        let c = self.lock();
        match &c.snapshot {
            Some((s, g, day)) if *g == c.generation && *day == today() => Some((Arc::clone(s), *g)),
            _ => None,
        }
    }

    /// The snapshot of the store, built now if it is stale. Call on a
    /// blocking thread.
    pub fn snapshot(&self, store: &mut Store) -> Result<(Arc<Snapshot>, u64), AppError> {
        if let Some(s) = self.fresh() {
            return Ok(s);
        }
        let _building = self.building.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(s) = self.fresh() {
            return Ok(s);
        }
        let generation = self.lock().generation;
        let day = today();
        let mut builder = SnapshotBuilder::new(None);
        store.visit_knowledge(None, &mut builder)?;
        let snap = Arc::new(builder.finish(day));
        let mut c = self.lock();
        if c.generation == generation {
            if c.snapshot.as_ref().is_some_and(|(_, _, d)| *d != day) {
                c.results.clear();
            }
            c.snapshot = Some((Arc::clone(&snap), generation, day));
        }
        Ok((snap, generation))
    }

    /// The plan evaluated as of a date for a unit's subtree (or the whole
    /// province), from the cache when it holds it.
    pub fn evaluate(
        &self,
        store: &mut Store,
        as_of: NaiveDate,
        unit: Option<&str>,
        missing: bool,
        pace: bool,
    ) -> Result<Arc<PlanResult>, AppError> {
        let key = Key {
            as_of,
            unit: unit.map(str::to_string),
            missing,
            pace,
        };
        {
            let mut c = self.lock();
            let generation = c.generation;
            let current = c.snapshot.as_ref().is_some_and(|(_, _, d)| *d == today());
            if current
                && let Some(i) = c
                    .results
                    .iter()
                    .position(|(k, g, _)| *g == generation && k.serves(&key))
            {
                let hit = c.results.remove(i).expect("present");
                let r = Arc::clone(&hit.2);
                c.results.push_front(hit);
                return Ok(r);
            }
        }
        let (snap, generation) = self.snapshot(store)?;
        // Read after the generation: if the plan is replaced meanwhile, the
        // generation moves and this result is not kept.
        let plan = self.plan();
        let options = Options {
            unit: key.unit.clone(),
            missing,
            pace,
        };
        let result = Arc::new(nangluc_engine::evaluate_with(
            &plan, &snap, as_of, &options,
        ));
        let mut c = self.lock();
        if c.generation == generation {
            c.results.push_front((key, generation, Arc::clone(&result)));
            c.results.truncate(KEPT);
        }
        Ok(result)
    }
}
