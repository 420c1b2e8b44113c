//! Page-number pagination shared by list endpoints: `?page=1&per_page=25`.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub const DEFAULT_PER_PAGE: u32 = 25;
pub const MAX_PER_PAGE: u32 = 100;

#[derive(Debug, Clone, Copy, Deserialize, IntoParams)]
pub struct PageQuery {
    /// 1-based page number (default 1).
    pub page: Option<u32>,
    /// Items per page, 1 to 100 (default 25).
    pub per_page: Option<u32>,
}

impl PageQuery {
    pub fn page(&self) -> u32 {
        self.page.unwrap_or(1).max(1)
    }

    pub fn per_page(&self) -> u32 {
        self.per_page.unwrap_or(DEFAULT_PER_PAGE).clamp(1, MAX_PER_PAGE)
    }

    pub fn offset(&self) -> i64 {
        i64::from(self.page() - 1) * i64::from(self.per_page())
    }

    pub fn limit(&self) -> i64 {
        i64::from(self.per_page())
    }
}

/// Where a page sits in the whole list.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct PageInfo {
    pub page: u32,
    pub per_page: u32,
    /// Number of items across all pages.
    pub total: i64,
}

impl PageInfo {
    pub fn new(query: &PageQuery, total: i64) -> Self {
        Self {
            page: query.page(),
            per_page: query.per_page(),
            total,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clamps_and_offsets() {
        let q = PageQuery {
            page: Some(3),
            per_page: Some(500),
        };
        assert_eq!((q.page(), q.per_page(), q.offset()), (3, 100, 200));
        let q = PageQuery {
            page: Some(0),
            per_page: Some(0),
        };
        assert_eq!((q.page(), q.per_page(), q.offset()), (1, 1, 0));
    }
}
