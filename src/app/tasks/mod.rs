//! Background work. Every piece of work the frame must not wait for (reading and writing site
//! files, audits, exports, the system file dialog) runs as a [`Task`]: it shares its progress,
//! can be asked to stop through the crate's one [`Cancel`], and hands back one result, which the
//! app takes in at the start of a frame ([`crate::app::PolicyDeskApp`]'s `receive`).

pub mod audit;
pub mod export;
pub mod files;
pub mod import;
pub mod pick;

use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::sync::{Arc, Mutex, PoisonError};

pub use crate::cancel::Cancel;

/// All the app's background work, by concern.
pub struct Tasks {
    pub files: files::Files,
    pub audits: audit::Audits,
    pub exports: export::Exports,
    pub picker: pick::Picker,
    pub imports: import::Imports,
}

impl Tasks {
    pub fn new(ctx: &egui::Context) -> Self {
        Self {
            files: files::Files::new(ctx),
            audits: audit::Audits::new(ctx),
            exports: export::Exports::new(ctx),
            picker: pick::Picker::new(ctx),
            imports: import::Imports::new(ctx),
        }
    }

    /// Whether file work, an export, an import or the reading of the audit history is under way (a
    /// running audit is not counted: it can take minutes and the app stays usable).
    pub fn busy(&self) -> bool {
        self.files.pending() > 0
            || self.exports.running.is_some()
            || self.exports.reading()
            || self.exports.saving_pdf()
            || self.audits.loading_history()
            || self.imports.busy()
    }
}

/// One piece of background work: its progress `P`, its cancel flag and its result `R`.
pub struct Task<P, R> {
    progress: Arc<Mutex<P>>,
    cancel: Cancel,
    result: Receiver<R>,
}

/// What the work itself holds: it reports progress and checks the cancel flag.
pub struct Reporter<P> {
    progress: Arc<Mutex<P>>,
    cancel: Cancel,
    ctx: egui::Context,
}

impl<P> Reporter<P> {
    /// Updates the progress the frame shows, and asks for a frame to show it.
    pub fn update(&self, change: impl FnOnce(&mut P)) {
        change(&mut self.progress.lock().unwrap_or_else(PoisonError::into_inner));
        self.ctx.request_repaint();
    }

    pub fn cancel(&self) -> &Cancel {
        &self.cancel
    }
}

/// What polling a task found.
pub enum Polled<R> {
    Running,
    Done(R),
    /// The work ended without a result (its thread panicked or could not start).
    Lost,
}

/// Runs queued work one piece at a time, in the order queued, on one thread of its own (file
/// work: a save and a delete of the same site must not overtake each other).
pub struct Lane {
    jobs: Sender<Box<dyn FnOnce() + Send>>,
}

impl Lane {
    pub fn start(name: &str) -> Self {
        let (jobs, queue) = channel::<Box<dyn FnOnce() + Send>>();
        // If the thread cannot start, queued tasks report `Polled::Lost`.
        let _ = std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                for job in queue {
                    // A job that panics loses its own result (`Polled::Lost`), not the lane.
                    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                }
            });
        Self { jobs }
    }
}

impl<P: Send + 'static, R: Send + 'static> Task<P, R> {
    /// Starts `work` on a thread of its own.
    pub fn spawn(
        name: &str,
        ctx: &egui::Context,
        progress: P,
        work: impl FnOnce(&Reporter<P>) -> R + Send + 'static,
    ) -> Self {
        let (task, job) = Self::prepare(ctx, progress, work);
        let _ = std::thread::Builder::new().name(name.into()).spawn(job);
        task
    }

    /// Queues `work` on `lane`, after the work queued before it.
    pub fn queue(
        lane: &Lane,
        ctx: &egui::Context,
        progress: P,
        work: impl FnOnce(&Reporter<P>) -> R + Send + 'static,
    ) -> Self {
        let (task, job) = Self::prepare(ctx, progress, work);
        let _ = lane.jobs.send(Box::new(job));
        task
    }

    fn prepare(
        ctx: &egui::Context,
        progress: P,
        work: impl FnOnce(&Reporter<P>) -> R + Send + 'static,
    ) -> (Self, impl FnOnce() + Send + 'static) {
        let progress = Arc::new(Mutex::new(progress));
        let cancel = Cancel::new();
        let (tx, result) = channel();
        let reporter = Reporter {
            progress: progress.clone(),
            cancel: cancel.clone(),
            ctx: ctx.clone(),
        };
        let job = move || {
            let out = work(&reporter);
            let _ = tx.send(out);
            reporter.ctx.request_repaint();
        };
        (
            Self {
                progress,
                cancel,
                result,
            },
            job,
        )
    }
}

impl<P: Clone, R> Task<P, R> {
    /// The progress as last reported.
    pub fn progress(&self) -> P {
        self.progress
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl<P, R> Task<P, R> {
    /// Asks the work to stop; it ends at its next check and still hands back a result.
    pub fn cancel(&self) {
        self.cancel.cancel();
    }

    pub fn cancelling(&self) -> bool {
        self.cancel.is_cancelled()
    }

    pub fn poll(&self) -> Polled<R> {
        match self.result.try_recv() {
            Ok(r) => Polled::Done(r),
            Err(TryRecvError::Empty) => Polled::Running,
            Err(TryRecvError::Disconnected) => Polled::Lost,
        }
    }
}

/// Takes the results of the finished tasks of `tasks` (in the order they were started) and
/// drops those that ended without one, keeping the others.
pub fn finished<P, R>(tasks: &mut Vec<Task<P, R>>) -> Vec<Option<R>> {
    let mut out = Vec::new();
    tasks.retain(|task| match task.poll() {
        Polled::Running => true,
        Polled::Done(r) => {
            out.push(Some(r));
            false
        }
        Polled::Lost => {
            out.push(None);
            false
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wait<P, R>(task: &Task<P, R>) -> Option<R> {
        for _ in 0..500 {
            match task.poll() {
                Polled::Running => std::thread::sleep(std::time::Duration::from_millis(5)),
                Polled::Done(r) => return Some(r),
                Polled::Lost => return None,
            }
        }
        panic!("the task did not end");
    }

    #[test]
    fn a_task_reports_progress_stops_when_cancelled_and_hands_back_its_result() {
        let ctx = egui::Context::default();
        let (go, started) = channel::<()>();
        let task = Task::spawn("test", &ctx, 0usize, move |r: &Reporter<usize>| {
            r.update(|p| *p = 1);
            let _ = go.send(());
            while !r.cancel().is_cancelled() {
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            "stopped"
        });
        started.recv().unwrap();
        assert_eq!(task.progress(), 1);
        assert!(matches!(task.poll(), Polled::Running));
        task.cancel();
        assert!(task.cancelling());
        assert_eq!(wait(&task), Some("stopped"));
    }

    #[test]
    fn queued_tasks_run_in_order_and_a_panic_is_lost_not_hung() {
        let ctx = egui::Context::default();
        let lane = Lane::start("test-lane");
        let log = Arc::new(Mutex::new(Vec::new()));
        let tasks: Vec<Task<(), usize>> = (0..5)
            .map(|i| {
                let log = log.clone();
                Task::queue(&lane, &ctx, (), move |_| {
                    log.lock().unwrap().push(i);
                    i
                })
            })
            .collect();
        for (i, t) in tasks.iter().enumerate() {
            assert_eq!(wait(t), Some(i));
        }
        assert_eq!(*log.lock().unwrap(), [0, 1, 2, 3, 4]);
        let lost: Task<(), ()> = Task::spawn("test-panic", &ctx, (), |_| panic!("boom"));
        assert_eq!(wait(&lost), None);
    }
}
