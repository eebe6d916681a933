//! Statements of a bulk write built while the database runs the one before.
//!
//! An import's statements are sent one after another, each waiting for the one before.
//! Building one (the words folded for search, the audit lines' JSON, the bound values
//! encoded) is the desk's work, running it is the database's: taking turns, the two
//! add up (100 000 rows into 1 000 000 on PostgreSQL: ~2.5 s of the desk's CPU beside
//! ~14 s of the server's). Here the next statement is built while the current one
//! runs, on the server or on SQLite's worker thread, so the desk's part hides in the
//! database's.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::pin;
use std::task::Poll;

use sqlx::QueryBuilder;

use super::{Conn, Db};
use crate::error::Result;

/// Builds the statements of one step of a bulk write (none, one or several), when the
/// pipeline gets to it.
pub(crate) type Step<'a> = Box<dyn FnOnce() -> Vec<QueryBuilder<Db>> + Send + 'a>;

/// Executes the statements `steps` build, in order, each step built while the
/// statement before it runs. Stops at the first error (the caller's transaction is
/// then rolled back as a whole).
pub(crate) async fn execute_steps(conn: &mut Conn, steps: Vec<Step<'_>>) -> Result<()> {
    let mut steps = steps.into_iter();
    let mut ready: VecDeque<QueryBuilder<Db>> = VecDeque::new();
    loop {
        let Some(mut statement) = ready.pop_front() else {
            match steps.next() {
                Some(step) => {
                    ready.extend(step());
                    continue;
                }
                None => return Ok(()),
            }
        };
        let build_next = ready.is_empty();
        let (done, next) = while_running(statement.build().execute(&mut *conn), || {
            if build_next {
                steps.next().map(|step| step())
            } else {
                None
            }
        })
        .await;
        done?;
        ready.extend(next.into_iter().flatten());
    }
}

/// Starts `statement` (its first poll sends it), does `meanwhile` while the database
/// works, then waits for the statement's outcome.
pub(crate) async fn while_running<T, R>(
    statement: impl Future<Output = T>,
    meanwhile: impl FnOnce() -> R,
) -> (T, R) {
    let mut statement = pin!(statement);
    let started = std::future::poll_fn(|cx| Poll::Ready(statement.as_mut().poll(cx))).await;
    let built = meanwhile();
    let outcome = match started {
        Poll::Ready(outcome) => outcome,
        Poll::Pending => statement.await,
    };
    (outcome, built)
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::future::Future;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    use super::while_running;

    /// A statement that the database answers on its second poll, logging its polls.
    struct Statement<'a> {
        polls: u32,
        log: &'a RefCell<Vec<&'static str>>,
    }

    impl Future for Statement<'_> {
        type Output = &'static str;
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
            self.polls += 1;
            if self.polls == 1 {
                self.log.borrow_mut().push("sent");
                cx.waker().wake_by_ref();
                Poll::Pending
            } else {
                self.log.borrow_mut().push("answered");
                Poll::Ready("rows")
            }
        }
    }

    #[tokio::test]
    async fn the_next_statement_is_built_after_this_one_is_sent_and_before_its_answer() {
        let log = RefCell::new(Vec::new());
        let statement = Statement {
            polls: 0,
            log: &log,
        };
        let (outcome, built) = while_running(statement, || {
            log.borrow_mut().push("next built");
            7
        })
        .await;
        assert_eq!((outcome, built), ("rows", 7));
        assert_eq!(*log.borrow(), ["sent", "next built", "answered"]);
    }
}
