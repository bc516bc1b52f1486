//! The MES HTTP API contract, shared by the server and the WASM frontend.
//!
//! Plain data only: DTOs, status enums, ID newtypes and the error body. It depends on nothing
//! server-side so the frontend can build it for `wasm32-unknown-unknown`; OpenAPI schema derives
//! are behind the `openapi` feature, which only the server enables.

pub mod audit;
pub mod auth;
pub mod error;
pub mod events;
pub mod ids;
pub mod import;
pub mod master_data;
pub mod page;
pub mod scheduling;
pub mod station;
pub mod system;
pub mod work_orders;

pub use error::{ApiError, ErrorDetail, ErrorKind};
pub use ids::*;
pub use page::{Page, SortDir};

/// The languages the product speaks. zh-CN is the default everywhere.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Lang {
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::ZhCn, Lang::En];

    /// The BCP 47 tag, as sent in `Accept-Language`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Picks the first supported language of an `Accept-Language` value (weights are ignored
    /// beyond order, which is what browsers send); zh-CN when nothing matches.
    pub fn from_accept_language(header: &str) -> Lang {
        header
            .split(',')
            .map(|part| {
                part.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            })
            .find_map(|tag| {
                if tag.starts_with("zh") {
                    Some(Lang::ZhCn)
                } else if tag.starts_with("en") {
                    Some(Lang::En)
                } else {
                    None
                }
            })
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_first_supported() {
        assert_eq!(Lang::from_accept_language("en-US,en;q=0.9"), Lang::En);
        assert_eq!(
            Lang::from_accept_language("zh-CN,zh;q=0.9,en;q=0.8"),
            Lang::ZhCn
        );
        assert_eq!(Lang::from_accept_language("de-DE, en;q=0.5"), Lang::En);
        assert_eq!(Lang::from_accept_language("fr"), Lang::ZhCn);
        assert_eq!(Lang::from_accept_language(""), Lang::ZhCn);
    }
}
