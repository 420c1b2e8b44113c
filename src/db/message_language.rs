//! Whether PostgreSQL writes its error messages in English. A deadlock PostgreSQL breaks
//! is told apart from other errors by its message, "deadlock detected" (diesel does not
//! pass on SQLSTATE 40P01), and PostgreSQL translates messages into the language of
//! `lc_messages`. Under another language such a deadlock would answer 500 instead of 409
//! `changed_concurrently` (nothing is written either way), so the server says so when it
//! starts.

use diesel::RunQueryDsl;
use diesel::result::Error;

use super::DbConn;

/// The message PostgreSQL gives for a division by zero, in English.
const ENGLISH: &str = "division by zero";

/// Whether the database's error messages are in English: asks for a division by zero
/// and reads the message back. SQLite's are always English.
pub fn errors_in_english(conn: &mut DbConn) -> Result<bool, Error> {
    if let DbConn::Sqlite(_) = conn {
        return Ok(true);
    }
    // The error lands in PostgreSQL's log with its statement: the comment says why.
    let probe = "SELECT 1 / 0 -- servicepunt checks that error messages are in English";
    match diesel::sql_query(probe).execute(conn) {
        Err(Error::DatabaseError(_, info)) => Ok(info.message() == ENGLISH),
        Err(e) => Err(e),
        Ok(_) => Ok(false),
    }
}
