//! sea-orm entities, one module per table (see `migrations/` for the schema).
//! Relations are resolved with explicit queries, so no `Related` impls are declared.
#![allow(missing_docs)]

pub mod town {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "town")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub name: String,
        pub code: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod village {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "village")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub town_id: i32,
        pub name: String,
        pub code: String,
        pub kind: String,
        pub agricultural: bool,
        pub taking_part: bool,
        pub sort_order: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod village_group {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "village_group")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub village_id: i32,
        pub name: String,
        pub sort_order: i32,
        /// Set when the group was merged into another: it leaves the
        /// pickers, past months keep naming it.
        pub retired_at: Option<DateTimeUtc>,
        /// The group its households moved to.
        pub merged_into: Option<i32>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod household {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "household")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub village_id: i32,
        pub group_id: i32,
        pub card_no: String,
        pub head_name: String,
        pub head_initials: String,
        pub address: String,
        pub resident: bool,
        pub aware: bool,
        pub moved_away: bool,
        pub balance: i64,
        pub earned_total: i64,
        pub redeemed_total: i64,
        pub created_at: DateTimeUtc,
        /// Contact phone; a villager may sign in with it.
        pub phone: Option<String>,
        /// yyyymm (China time) of the month the household moved away (迁出):
        /// it counts as resident only before it.
        pub moved_away_month: Option<i32>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod member {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "member")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub household_id: i32,
        pub name: String,
        pub relation: String,
        pub is_head: bool,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod rule_category {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "rule_category")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub village_id: i32,
        pub name: String,
        pub sort_order: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod rule_item {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "rule_item")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub village_id: i32,
        pub category_id: i32,
        pub lineage_id: Option<i32>,
        pub version: i32,
        pub title: String,
        pub points: i32,
        pub unit: String,
        pub monthly_cap: Option<i32>,
        pub evidence_required: bool,
        pub active_from: Date,
        pub active_until: Option<Date>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A revision of a village's rule catalogue: a draft until it is published
/// with its decision record (决议记录).
pub mod rule_revision {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "rule_revision")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub village_id: i32,
        /// 'draft' or 'published'.
        pub status: String,
        /// 第 N 次修订, given when published.
        pub seq: Option<i32>,
        pub effective_from: Option<Date>,
        pub meeting_kind: Option<String>,
        pub meeting_on: Option<Date>,
        pub entitled: Option<i32>,
        pub attended: Option<i32>,
        pub votes_for: Option<i32>,
        pub votes_against: Option<i32>,
        pub votes_abstain: Option<i32>,
        /// Relative name of the minutes under the files folder.
        pub minutes_file: Option<String>,
        pub minutes_type: Option<String>,
        pub minutes_name: Option<String>,
        pub note: String,
        pub created_by: i32,
        pub created_at: DateTimeUtc,
        pub published_by: Option<i32>,
        pub published_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// One change of a rule revision: an addition, a change or a retirement.
pub mod rule_change {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "rule_change")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub revision_id: i32,
        /// 'add', 'change' or 'retire'.
        pub kind: String,
        /// The lineage changed or retired (the id of its version 1).
        pub lineage_id: Option<i32>,
        /// The version the change was drafted on.
        pub base_item_id: Option<i32>,
        /// Category name of the new terms (the old one for a retirement).
        pub category: String,
        pub title: Option<String>,
        pub points: Option<i32>,
        pub unit: Option<String>,
        pub monthly_cap: Option<i32>,
        pub evidence_required: Option<bool>,
        /// The version publishing wrote (an addition or change).
        pub result_item_id: Option<i32>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod user_account {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "user_account")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub username: String,
        pub password_hash: String,
        pub display_name: String,
        pub role: String,
        pub village_id: Option<i32>,
        /// The household the account belongs to: a villager's own, or
        /// the home of a staff member who lives in the village (who then
        /// may not record, approve or redeem for it).
        pub household_id: Option<i32>,
        pub active: bool,
        pub created_at: DateTimeUtc,
        /// A staff member's contact phone (never a sign-in name).
        pub phone: Option<String>,
        /// The one group a scorer (评分员) is bound to, if any.
        pub group_id: Option<i32>,
        /// Set while the account holds a one-time password: it must set
        /// its own before anything else.
        pub must_change_password: bool,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod ledger_entry {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "ledger_entry")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub village_id: i32,
        pub household_id: i32,
        pub member_id: Option<i32>,
        pub rule_item_id: i32,
        pub points: i32,
        pub reason: String,
        pub occurred_on: Date,
        pub recorded_by: i32,
        pub recorded_at: DateTimeUtc,
        pub status: String,
        pub reverses: Option<i32>,
        pub evidence_id: Option<i32>,
        /// Set on an entry awarded for taking part in an activity.
        pub activity_id: Option<i32>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod household_month {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "household_month")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub household_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub month: i32,
        pub village_id: i32,
        pub group_id: i32,
        pub awarded: i64,
        pub deducted: i64,
        pub redeemed: i64,
        /// Approved entries dated in the month that are neither reversals
        /// nor reversed: above zero, the household took part (参与).
        pub entries: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod goods {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "goods")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub village_id: i32,
        pub name: String,
        pub unit: String,
        pub price_points: i32,
        pub stock: i32,
        pub photo_path: Option<String>,
        pub active: bool,
        pub created_at: DateTimeUtc,
        /// 商品分类, groups the kiosk tiles.
        pub category: String,
        /// Stock at or below this shows a warning.
        pub low_stock: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod redemption {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "redemption")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub village_id: i32,
        pub household_id: i32,
        pub clerk_id: i32,
        pub idempotency_key: String,
        pub receipt_no: String,
        pub total_points: i64,
        pub created_at: DateTimeUtc,
        /// Set on a void (作废): the redemption it cancels. Total and lines
        /// are then negated.
        pub reverses: Option<i32>,
        /// Why a void was made.
        pub reason: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod redemption_line {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "redemption_line")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub redemption_id: i32,
        pub goods_id: i32,
        pub quantity: i32,
        pub unit_price: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod stock_movement {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "stock_movement")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub goods_id: i32,
        pub kind: String,
        pub quantity: i32,
        pub reason: Option<String>,
        pub redemption_id: Option<i32>,
        pub recorded_by: Option<i32>,
        pub recorded_at: DateTimeUtc,
        /// Purchase price per unit in fen, on a receipt (入库).
        pub unit_cost_fen: Option<i64>,
        pub supplier: Option<String>,
        /// The business date of a receipt or adjustment.
        pub moved_on: Option<Date>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod session {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "session")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub token_hash: String,
        pub user_id: i32,
        pub created_at: DateTimeUtc,
        pub expires_at: DateTimeUtc,
        /// When the session was last used, to at most a minute; `None` on
        /// sessions older than the idle timeout (read as `created_at`).
        pub last_seen_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod login_attempt {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "login_attempt")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub username: String,
        pub address: String,
        pub success: bool,
        pub at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod audit_log {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "audit_log")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub user_id: Option<i32>,
        pub action: String,
        pub target_table: String,
        pub target_id: Option<i32>,
        pub detail: String,
        pub at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod setting {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "setting")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub key: String,
        pub value: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod evidence {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "evidence")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub village_id: i32,
        pub file_name: String,
        pub width: i32,
        pub height: i32,
        pub bytes: i32,
        pub uploaded_by: i32,
        pub uploaded_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod proposal {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "proposal")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub village_id: i32,
        pub household_id: i32,
        pub member_id: Option<i32>,
        pub rule_item_id: i32,
        pub reason: String,
        pub occurred_on: Date,
        pub source: String,
        pub proposed_by: i32,
        pub proposed_at: DateTimeUtc,
        pub evidence_id: Option<i32>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod proposal_review {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "proposal_review")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub proposal_id: i32,
        pub approved: bool,
        pub reason: String,
        pub entry_id: Option<i32>,
        pub reviewed_by: i32,
        pub reviewed_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod published_month {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "published_month")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub village_id: i32,
        pub month: i32,
        pub content: String,
        pub digest: String,
        pub points_awarded: i64,
        pub points_deducted: i64,
        pub points_redeemed: i64,
        pub entries: i32,
        pub redemptions: i32,
        pub published_by: i32,
        pub published_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod activity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "activity")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub village_id: i32,
        pub title: String,
        pub description: String,
        pub category: String,
        pub place: String,
        pub starts_at: DateTimeUtc,
        pub ends_at: DateTimeUtc,
        pub signup_deadline: DateTimeUtc,
        pub capacity: Option<i32>,
        pub rule_item_id: i32,
        pub photo_path: Option<String>,
        pub status: String,
        pub cancel_reason: Option<String>,
        pub awarded_at: Option<DateTimeUtc>,
        pub created_by: i32,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod activity_signup {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "activity_signup")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub activity_id: i32,
        pub household_id: i32,
        pub member_id: i32,
        pub signed_up_by: i32,
        pub assisted: bool,
        pub created_at: DateTimeUtc,
        pub withdrawn_at: Option<DateTimeUtc>,
        pub checked_in_at: Option<DateTimeUtc>,
        pub checked_in_by: Option<i32>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod appeal {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "appeal")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub village_id: i32,
        pub household_id: i32,
        pub entry_id: i32,
        pub reason: String,
        pub filed_by: i32,
        pub assisted: bool,
        pub filed_at: DateTimeUtc,
        pub status: String,
        pub answer: Option<String>,
        pub answered_by: Option<i32>,
        pub answered_at: Option<DateTimeUtc>,
        pub reversal_entry_id: Option<i32>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod notice {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "notice")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub village_id: i32,
        pub category: String,
        pub pinned: bool,
        pub publish_at: DateTimeUtc,
        pub created_by: i32,
        pub created_at: DateTimeUtc,
        pub published_month_id: Option<i32>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod notice_version {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "notice_version")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub notice_id: i32,
        pub version: i32,
        pub title: String,
        pub body: String,
        pub edited_by: i32,
        pub edited_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod notice_file {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "notice_file")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub notice_id: i32,
        pub file_name: String,
        pub original_name: String,
        pub content_type: String,
        pub bytes: i32,
        pub uploaded_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod acceptance_evidence {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "acceptance_evidence")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub village_id: i32,
        /// A `ChecklistItem` as stored text.
        pub item: String,
        pub file_name: String,
        pub original_name: String,
        pub content_type: String,
        pub bytes: i32,
        pub note: String,
        pub uploaded_by: i32,
        pub uploaded_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod village_acceptance {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "village_acceptance")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub village_id: i32,
        pub accepted_on: Date,
        pub note: String,
        pub accepted_by: i32,
        pub recorded_at: DateTimeUtc,
        pub withdrawn_at: Option<DateTimeUtc>,
        pub withdrawn_by: Option<i32>,
        pub withdraw_reason: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod living_score {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "living_score")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub village_id: i32,
        /// `yyyymm`.
        pub month: i32,
        /// Tenths of a point: 915 = 91.5.
        pub score_tenths: i32,
        pub entered_by: i32,
        pub entered_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod village_flag {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "village_flag")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub village_id: i32,
        /// A `Disqualification` as stored text.
        pub kind: String,
        pub occurred_on: Date,
        pub note: String,
        pub recorded_by: i32,
        pub recorded_at: DateTimeUtc,
        pub lifted_at: Option<DateTimeUtc>,
        pub lifted_by: Option<i32>,
        pub lift_reason: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod nomination {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "nomination")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub year: i32,
        /// A `Level` as stored text.
        pub level: String,
        pub village_id: i32,
        pub note: String,
        pub nominated_by: i32,
        pub nominated_at: DateTimeUtc,
        pub withdrawn_at: Option<DateTimeUtc>,
        pub withdrawn_by: Option<i32>,
        pub withdraw_reason: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod fund {
    use sea_orm::entity::prelude::*;

    /// A source fund of a village (区级补助, 示范村奖补).
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "fund")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub village_id: i32,
        /// `domain::funds::FundKind::as_str`.
        pub kind: String,
        pub granted_fen: i64,
        pub granted_on: Date,
        pub note: String,
        pub created_by: i32,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod fund_payment {
    use sea_orm::entity::prelude::*;

    /// Money reaching a village from a fund (到账); append-only.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "fund_payment")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub fund_id: i32,
        pub village_id: i32,
        pub tranche: i32,
        /// Negated on a reversal.
        pub amount_fen: i64,
        pub paid_on: Date,
        pub note: String,
        /// Set on a reversal (冲销): the payment it cancels.
        pub reverses: Option<i32>,
        pub reason: Option<String>,
        pub recorded_by: i32,
        pub recorded_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod fund_spending {
    use sea_orm::entity::prelude::*;

    /// Money a village spent from a fund (支出); append-only.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "fund_spending")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub fund_id: i32,
        pub village_id: i32,
        pub spent_on: Date,
        /// Negated on a reversal.
        pub amount_fen: i64,
        /// `domain::funds::SpendCategory::as_str`.
        pub category: String,
        pub description: String,
        /// The voucher photo (凭证照片) under the files folder.
        pub voucher_path: Option<String>,
        /// Set on a reversal (冲销): the spending it cancels.
        pub reverses: Option<i32>,
        pub reason: Option<String>,
        pub recorded_by: i32,
        pub recorded_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod card_print {
    use sea_orm::entity::prelude::*;

    /// A printing of a village's household card sheet (户卡打印).
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "card_print")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub village_id: i32,
        /// Set when only one group's cards were printed.
        pub group_id: Option<i32>,
        pub cards: i32,
        pub printed_by: i32,
        pub printed_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod data_version {
    use sea_orm::entity::prelude::*;

    /// How often what the public sees has changed, per scope (see
    /// `server::versions`).
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "data_version")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub scope: i32,
        pub version: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
