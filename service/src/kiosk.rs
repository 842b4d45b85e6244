//! What the supermarket counter reads: who is at the counter (by card, name
//! or initials) and the shelf. Writes are in [`super::redeem`].

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::entities::{goods, household, village};
use super::{office, portal, Db};
use domain::goods::category_rank;
use domain::roles::Caller;
use domain::stock::photo_url;
use domain::{GoodsId, VillageId};
use wire::kiosk::ShelfTile;
use wire::types::OfficeHousehold;
use wire::AppError;

fn staff(caller: &Caller, village: VillageId) -> Result<(), AppError> {
    if caller.may_redeem(village) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The household whose card was scanned or typed. A card of another village
/// or a household that moved away gets a message saying what to do.
pub async fn identify(
    db: &Db,
    caller: &Caller,
    village: VillageId,
    card_no: &str,
) -> Result<OfficeHousehold, AppError> {
    staff(caller, village)?;
    let card = card_no.trim();
    if !portal::is_card_query(card) || card.len() > 20 {
        return Err(AppError::invalid(
            "卡号只含数字，请重新扫码或输入；也可以按姓名查找",
        ));
    }
    let h = household::Entity::find()
        .filter(household::Column::CardNo.eq(card))
        .one(&db.conn)
        .await?
        .ok_or_else(|| {
            AppError::not_found(format!(
                "没有卡号为 {card} 的农户，请核对卡号，或按户主姓名查找"
            ))
        })?;
    if h.village_id != village.0 {
        let other = village::Entity::find_by_id(h.village_id)
            .one(&db.conn)
            .await?
            .map(|v| v.name)
            .unwrap_or_default();
        return Err(AppError::invalid(format!(
            "这是{other}的户卡，只能在{other}积分超市兑换"
        )));
    }
    if h.moved_away {
        return Err(AppError::invalid(format!(
            "{}（{}）已迁出本村，不能兑换；如有疑问请联系村积分管理员",
            h.head_name, h.card_no
        )));
    }
    office::office_households(db, vec![h])
        .await?
        .pop()
        .ok_or(AppError::Internal)
}

/// Households of the village matching a name, pinyin initials or a card
/// number prefix (people who forgot their card).
pub async fn search(
    db: &Db,
    caller: &Caller,
    village: VillageId,
    q: &str,
) -> Result<Vec<OfficeHousehold>, AppError> {
    staff(caller, village)?;
    let mut found = portal::find_households(db, q, Some(village)).await?;
    found.truncate(12);
    office::office_households(db, found).await
}

/// Goods on sale in the village's shop, by category then name; sold-out
/// kinds stay on the shelf (greyed at the counter) so the clerk can say so.
pub async fn shelf(
    db: &Db,
    caller: &Caller,
    village: VillageId,
) -> Result<Vec<ShelfTile>, AppError> {
    staff(caller, village)?;
    let mut items: Vec<ShelfTile> = goods::Entity::find()
        .filter(goods::Column::VillageId.eq(village.0))
        .filter(goods::Column::Active.eq(true))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|g| ShelfTile {
            id: GoodsId(g.id),
            name: g.name,
            unit: g.unit,
            category: g.category,
            price: g.price_points,
            stock: g.stock,
            photo: g.photo_path.as_deref().map(|p| photo_url(GoodsId(g.id), p)),
        })
        .collect();
    items.sort_by(|a, b| {
        (category_rank(&a.category), &a.category, a.id).cmp(&(
            category_rank(&b.category),
            &b.category,
            b.id,
        ))
    });
    Ok(items)
}
