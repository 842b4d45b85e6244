//! Accounts, passwords, sessions and login throttling.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use sha2::{Digest, Sha256};

use super::entities::{household, login_attempt, session, user_account};
use super::{audit, Db};
use domain::account::{
    login_gate, session_alive, starts_waiting, FailureRun, LoginName, ADDRESS_WINDOW_MINUTES,
    FAILURE_MEMORY_HOURS,
};
use domain::roles::{Caller, Role};
use domain::{GroupId, HouseholdId, UserId, VillageId};
use wire::AppError;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "gl_session";
/// How long a session lasts.
pub const SESSION_DAYS: i64 = 30;

/// Hashes a password with argon2id and a random salt.
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashing with default parameters cannot fail")
        .to_string()
}

/// Checks a password against a stored argon2 hash.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The caller a user account acts as.
pub fn caller_of(user: &user_account::Model) -> Option<Caller> {
    Some(Caller {
        user: UserId(user.id),
        role: Role::parse(&user.role)?,
        village: user.village_id.map(VillageId),
        household: user.household_id.map(HouseholdId),
        group: user.group_id.map(GroupId),
    })
}

/// The caller a signed-in account acts as, if it may act at all: an
/// account still holding its one-time password may do nothing but set its
/// own (403 [`AppError::PasswordChangeRequired`]), an unknown role nothing.
pub fn caller_for(user: &user_account::Model) -> Result<Caller, AppError> {
    if user.must_change_password {
        return Err(AppError::PasswordChangeRequired);
    }
    caller_of(user).ok_or(AppError::Forbidden)
}

/// The key failed sign-ins are counted under (`login_attempt.username`):
/// the resolved account, so every spelling of a card number, its phone and
/// its user name share one count; an unknown name counts under its
/// normalised spelling.
fn attempt_key(user: Option<&user_account::Model>, typed: &LoginName) -> String {
    match (user, typed) {
        (Some(u), _) => format!("#{}", u.id),
        (None, LoginName::Digits(d)) => format!("?{d}"),
        (None, LoginName::Username(n)) => format!("?{n}"),
    }
}

/// The account's failures since its last success (and within
/// [`FAILURE_MEMORY_HOURS`]): from this address and from everywhere.
async fn failure_runs<C: ConnectionTrait>(
    conn: &C,
    key: &str,
    address: &str,
    now: DateTime<Utc>,
) -> Result<(FailureRun, FailureRun), AppError> {
    let last_success: Option<DateTime<Utc>> = login_attempt::Entity::find()
        .select_only()
        .column(login_attempt::Column::At)
        .filter(login_attempt::Column::Username.eq(key))
        .filter(login_attempt::Column::Success.eq(true))
        .order_by_desc(login_attempt::Column::At)
        .into_tuple()
        .one(conn)
        .await?;
    let memory = now - Duration::hours(FAILURE_MEMORY_HOURS);
    let since = last_success.map_or(memory, |s| s.max(memory));
    let rows: Vec<(String, DateTime<Utc>)> = login_attempt::Entity::find()
        .select_only()
        .column(login_attempt::Column::Address)
        .column(login_attempt::Column::At)
        .filter(login_attempt::Column::Username.eq(key))
        .filter(login_attempt::Column::Success.eq(false))
        .filter(login_attempt::Column::At.gt(since))
        .into_tuple()
        .all(conn)
        .await?;
    let mut here = FailureRun::default();
    let mut anywhere = FailureRun::default();
    for (from, at) in rows {
        anywhere.count += 1;
        anywhere.last = anywhere.last.max(Some(at));
        if from == address {
            here.count += 1;
            here.last = here.last.max(Some(at));
        }
    }
    Ok((here, anywhere))
}

/// Throttles and records one try of a password under `key` (the
/// resolved account, see [`attempt_key`]), in one write transaction: the
/// account's and the address's failures are checked, and the try is
/// recorded as a failure *before* the password is checked, so concurrent
/// wrong guesses queue and each sees the others. Answers the attempt's id
/// (for [`mark_success`]) and the failures before it.
async fn begin_attempt(
    db: &Db,
    key: &str,
    address: &str,
    now: DateTime<Utc>,
) -> Result<(i32, FailureRun, FailureRun), AppError> {
    let txn = db.write().await?;
    txn.private();
    let (here, anywhere) = failure_runs(&*txn, key, address, now).await?;
    let by_address = login_attempt::Entity::find()
        .filter(login_attempt::Column::Address.eq(address))
        .filter(login_attempt::Column::Success.eq(false))
        .filter(login_attempt::Column::At.gt(now - Duration::minutes(ADDRESS_WINDOW_MINUTES)))
        .count(&*txn)
        .await?;
    if let Err(seconds) = login_gate(here, anywhere, by_address, now) {
        // A refused try is not recorded: hammering does not lengthen the
        // owner's wait, and it is never checked.
        return Err(AppError::Throttled((seconds + 59) / 60));
    }
    let attempt = login_attempt::ActiveModel {
        username: Set(key.to_string()),
        address: Set(address.to_string()),
        success: Set(false),
        at: Set(now),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    txn.commit().await?;
    Ok((attempt.id, here, anywhere))
}

/// Turns a recorded try into a success: the account's failures before it
/// no longer count.
async fn mark_success<C: ConnectionTrait>(conn: &C, attempt: i32) -> Result<(), AppError> {
    login_attempt::Entity::update_many()
        .col_expr(login_attempt::Column::Success, Expr::value(true))
        .filter(login_attempt::Column::Id.eq(attempt))
        .exec(conn)
        .await?;
    Ok(())
}

/// Checks a signed-in account's current password (before it is changed)
/// under the same throttle as signing in: a stolen session cannot be used
/// to guess the password it was opened with.
pub async fn verify_current_password(
    db: &Db,
    user: &user_account::Model,
    password: &str,
    address: &str,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let key = format!("#{}", user.id);
    let (attempt, _, _) = begin_attempt(db, &key, address, now).await?;
    let (pw, hash) = (password.to_string(), user.password_hash.clone());
    let ok = tokio::task::spawn_blocking(move || verify_password(&pw, &hash))
        .await
        .map_err(|_| AppError::Internal)?;
    if ok {
        let txn = db.write().await?;
        txn.private();
        mark_success(&*txn, attempt).await?;
        txn.commit().await?;
    }
    Ok(ok)
}

/// Checks credentials and on success opens a session; returns the user and
/// the secret token for the cookie (only its hash is stored).
///
/// Throttling is on the resolved account and atomic: one write transaction
/// checks the account's and the address's failures and records this try as
/// a failure *before* the password is checked, so concurrent wrong guesses
/// queue and each sees the others; a success turns the row into a success.
/// After a few failures each further try waits longer (see
/// [`login_gate`]), so an owner is slowed, never locked out for good.
pub async fn login(
    db: &Db,
    username: &str,
    password: &str,
    address: &str,
    now: DateTime<Utc>,
) -> Result<(user_account::Model, String), AppError> {
    let username = username.trim();
    if username.is_empty() || password.is_empty() {
        return Err(AppError::invalid("请输入用户名和密码"));
    }
    let typed = LoginName::parse(username);
    let digits = matches!(typed, LoginName::Digits(_));
    let user = match &typed {
        LoginName::Digits(d) => villager_by_number(db, d).await?,
        LoginName::Username(_) => None,
    };
    let user = match user {
        Some(u) => Some(u),
        None => {
            user_account::Entity::find()
                .filter(user_account::Column::Username.eq(username))
                .one(&db.conn)
                .await?
        }
    };
    let key = attempt_key(user.as_ref(), &typed);
    let account = user.as_ref().map(|u| u.id);

    let (attempt, here, anywhere) = begin_attempt(db, &key, address, now).await?;

    let hash = user.as_ref().map(|u| u.password_hash.clone());
    let pw = password.to_string();
    // Verify even for unknown users so timing does not reveal which names exist.
    let ok = tokio::task::spawn_blocking(move || match hash {
        Some(h) => verify_password(&pw, &h),
        None => {
            let _ = verify_password(&pw, DUMMY_HASH);
            false
        }
    })
    .await
    .map_err(|_| AppError::Internal)?;
    let user = user.filter(|u| ok && u.active);

    let txn = db.write().await?;
    txn.private();
    let Some(user) = user else {
        if starts_waiting(here.count + 1, anywhere.count + 1) {
            audit::record(
                &*txn,
                None,
                "login_throttled",
                "user_account",
                account,
                format!(
                    "{} failures from {address}, {} in all: further tries must wait",
                    here.count + 1,
                    anywhere.count + 1
                ),
                now,
            )
            .await?;
        }
        txn.commit().await?;
        return Err(AppError::invalid(if digits {
            "户卡号（手机号）或密码错误"
        } else {
            "用户名或密码错误"
        }));
    };
    mark_success(&*txn, attempt).await?;
    let mut raw = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut raw);
    let token = hex::encode(raw);
    session::ActiveModel {
        token_hash: Set(token_hash(&token)),
        user_id: Set(user.id),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(SESSION_DAYS)),
        last_seen_at: Set(Some(now)),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    audit::record(
        &*txn,
        Some(UserId(user.id)),
        "login",
        "user_account",
        Some(user.id),
        format!("from {address}"),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok((user, token))
}

/// The villager account of the household with this card number or, failing
/// that, this phone number (村民用户卡号或手机号登录).
async fn villager_by_number(
    db: &Db,
    number: &str,
) -> Result<Option<user_account::Model>, AppError> {
    let mut hh = household::Entity::find()
        .filter(household::Column::CardNo.eq(number))
        .one(&db.conn)
        .await?;
    if hh.is_none() {
        hh = household::Entity::find()
            .filter(household::Column::Phone.eq(number))
            .filter(household::Column::MovedAway.eq(false))
            .one(&db.conn)
            .await?;
    }
    let Some(hh) = hh else { return Ok(None) };
    Ok(user_account::Entity::find()
        .filter(user_account::Column::HouseholdId.eq(hh.id))
        .filter(user_account::Column::Role.eq(Role::Villager.as_str()))
        .filter(user_account::Column::Active.eq(true))
        .one(&db.conn)
        .await?)
}

/// A valid argon2id hash of a random string, verified against when the user
/// does not exist.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$ZbSRRUvs8fWMgXPKNk5Y+6nJhEl+ohoCx0A2NH1q9zU";

/// Ends a session. Sessions are not ledger records: removing the row is the
/// point of logging out.
pub async fn logout(db: &Db, token: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let txn = db.write().await?;
    txn.private();
    if let Some(s) = session::Entity::find()
        .filter(session::Column::TokenHash.eq(token_hash(token)))
        .one(&*txn)
        .await?
    {
        session::Entity::delete_by_id(s.id).exec(&*txn).await?;
        audit::record(
            &*txn,
            Some(UserId(s.user_id)),
            "logout",
            "user_account",
            Some(s.user_id),
            String::new(),
            now,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// How often a session's `last_seen_at` is brought up to date: reads do
/// not write on every request, and the idle timeout is this much coarse.
const TOUCH_EVERY_SECONDS: i64 = 60;

/// The active user behind a session token, if the session is valid: not
/// past its absolute expiry, and used within its role's idle timeout.
pub async fn user_for_token(
    db: &Db,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<user_account::Model>, AppError> {
    let Some(s) = session::Entity::find()
        .filter(session::Column::TokenHash.eq(token_hash(token)))
        .filter(session::Column::ExpiresAt.gt(now))
        .one(&db.conn)
        .await?
    else {
        return Ok(None);
    };
    let Some(user) = user_account::Entity::find_by_id(s.user_id)
        .one(&db.conn)
        .await?
        .filter(|u| u.active)
    else {
        return Ok(None);
    };
    let Some(role) = Role::parse(&user.role) else {
        return Ok(None);
    };
    let last_seen = s.last_seen_at.unwrap_or(s.created_at);
    if !session_alive(role, last_seen, now) {
        return Ok(None);
    }
    if (now - last_seen).num_seconds() >= TOUCH_EVERY_SECONDS {
        // Best effort: a failed touch (a busy or full disk) must not sign
        // the caller out; the next request tries again.
        if let Err(e) = touch(db, s.id, now).await {
            tracing::warn!("cannot note session use: {e}");
        }
    }
    Ok(Some(user))
}

async fn touch(db: &Db, session_id: i32, now: DateTime<Utc>) -> Result<(), AppError> {
    let txn = db.write().await?;
    txn.private();
    session::Entity::update_many()
        .col_expr(session::Column::LastSeenAt, Expr::value(now))
        .filter(session::Column::Id.eq(session_id))
        .exec(&*txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Ends every session of an account (its PIN or password changed, its
/// household moved away, it was disabled), inside the caller's
/// transaction; returns how many were open.
pub async fn end_sessions<C: ConnectionTrait>(conn: &C, user: UserId) -> Result<u64, AppError> {
    Ok(session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user.0))
        .exec(conn)
        .await?
        .rows_affected)
}

/// Ends every session of an account but the one with this token (its
/// holder just changed the password there); returns how many ended.
pub async fn end_other_sessions<C: ConnectionTrait>(
    conn: &C,
    user: UserId,
    keep_token: &str,
) -> Result<u64, AppError> {
    Ok(session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user.0))
        .filter(session::Column::TokenHash.ne(token_hash(keep_token)))
        .exec(conn)
        .await?
        .rows_affected)
}

/// The session token among a request's `Cookie` headers.
pub fn token_from_headers(headers: &http::HeaderMap) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|h| h.to_str().ok())
        .find_map(token_from_cookie_header)
}

/// The signed-in caller of a plain axum handler (a download, a photo): 401
/// without a valid session, 403 for an account without a role.
pub async fn caller_from_headers(
    db: &Db,
    headers: &http::HeaderMap,
    now: DateTime<Utc>,
) -> Result<Caller, AppError> {
    let token = token_from_headers(headers).ok_or(AppError::Unauthenticated)?;
    let user = user_for_token(db, &token, now)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    caller_for(&user)
}

/// Reads the session token from a `Cookie` header value.
pub fn token_from_cookie_header(header: &str) -> Option<String> {
    header.split(';').find_map(|pair| {
        let (name, value) = pair.trim().split_once('=')?;
        (name == SESSION_COOKIE && !value.is_empty()).then(|| value.to_string())
    })
}

/// The `Set-Cookie` value for a new session.
pub fn session_cookie(token: &str, secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}",
        SESSION_DAYS * 24 * 3600,
        if secure { "; Secure" } else { "" }
    )
}

/// The `Set-Cookie` value that clears the session cookie.
pub fn clear_cookie(secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{}",
        if secure { "; Secure" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_against_their_hash() {
        let h = hash_password("gaoliang123");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("gaoliang123", &h));
        assert!(!verify_password("gaoliang124", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn session_cookie_is_read_back_and_hardened() {
        let c = session_cookie("abc", true);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Strict") && c.ends_with("Secure"));
        assert_eq!(
            token_from_cookie_header("a=1; gl_session=abc; b=2"),
            Some("abc".into())
        );
        assert_eq!(token_from_cookie_header("gl_session="), None);
        assert_eq!(token_from_cookie_header("other=1"), None);
    }
}
