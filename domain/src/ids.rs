//! Typed identifiers, so a household id is never passed where a goods id belongs.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta] $name:ident),* $(,)?) => {$(
        #[$doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i32);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

id_type!(
    /// A village or community (村/社区).
    VillageId,
    /// A village group (组).
    GroupId,
    /// A household (户), the account that holds points.
    HouseholdId,
    /// A household member (家庭成员).
    MemberId,
    /// One version of a rule item (积分细则).
    RuleItemId,
    /// A revision of a village's rule catalogue (积分方案修订).
    RuleRevisionId,
    /// One change of a rule revision (修订中的一项修改).
    RuleChangeId,
    /// A ledger entry (积分记录).
    EntryId,
    /// Goods on a points-supermarket shelf (商品).
    GoodsId,
    /// A redemption at the counter (兑换单).
    RedemptionId,
    /// A user account.
    UserId,
    /// A pending declaration or proposal awaiting review (待审核申报).
    ProposalId,
    /// An uploaded photo of evidence (证明照片).
    EvidenceId,
    /// A points activity (积分活动).
    ActivityId,
    /// A member's sign-up for an activity (报名).
    SignupId,
    /// A village notice (村务公示).
    NoticeId,
    /// A file attached to a notice (附件).
    NoticeFileId,
    /// A fund granted to a village (资金).
    FundId,
    /// A tranche paid out of a fund (拨付).
    PaymentId,
    /// A spending record of a fund (支出).
    SpendingId,
);
