//! Import of ERP exports (CSV or XLSX, header row, zh-CN or English column names), the progress
//! of an import job, and export of lists to CSV or XLSX.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::ErrorDetail;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    Machines,
    Products,
    Boms,
    Routings,
    WorkOrders,
}

impl ImportKind {
    pub const ALL: [ImportKind; 5] = [
        ImportKind::Machines,
        ImportKind::Products,
        ImportKind::Boms,
        ImportKind::Routings,
        ImportKind::WorkOrders,
    ];

    /// As in the URL: `/api/v1/import/work-orders`.
    pub fn slug(self) -> &'static str {
        match self {
            ImportKind::Machines => "machines",
            ImportKind::Products => "products",
            ImportKind::Boms => "boms",
            ImportKind::Routings => "routings",
            ImportKind::WorkOrders => "work-orders",
        }
    }

    pub fn from_slug(s: &str) -> Option<ImportKind> {
        ImportKind::ALL
            .into_iter()
            .find(|k| k.slug() == s || k.slug().replace('-', "_") == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ImportStatus {
    /// Reading and checking rows.
    Validating,
    /// All rows valid; writing them in one transaction.
    Writing,
    /// Everything stored.
    Done,
    /// Nothing stored: see `errors` (line, column, reason).
    Failed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportJob {
    pub id: String,
    pub kind: ImportKind,
    pub file_name: String,
    pub status: ImportStatus,
    /// Data rows in the file (header excluded), once known.
    pub total_rows: u64,
    pub processed_rows: u64,
    pub created: u64,
    pub updated: u64,
    /// Every bad row: `line` is the file's line (or sheet row) number, `column` the header.
    pub errors: Vec<ErrorDetail>,
    /// Headers of the file that name no column of this kind; their cells were not read.
    #[serde(default)]
    pub ignored_columns: Vec<String>,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// A file format for templates and exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FileFormat {
    /// UTF-8 with a byte-order mark (so Excel opens it as UTF-8), comma-separated.
    #[default]
    Csv,
    Xlsx,
}

impl FileFormat {
    pub fn extension(self) -> &'static str {
        match self {
            FileFormat::Csv => "csv",
            FileFormat::Xlsx => "xlsx",
        }
    }
}

/// What `GET /api/v1/export/{kind}` exports: each is a list of the API, with that list's filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ExportKind {
    Machines,
    WorkCenters,
    Stations,
    Products,
    /// One row per BOM line.
    Boms,
    /// One row per operation.
    Routings,
    WorkOrders,
}

impl ExportKind {
    pub const ALL: [ExportKind; 7] = [
        ExportKind::Machines,
        ExportKind::WorkCenters,
        ExportKind::Stations,
        ExportKind::Products,
        ExportKind::Boms,
        ExportKind::Routings,
        ExportKind::WorkOrders,
    ];

    /// As in the URL: `/api/v1/export/work-orders`.
    pub fn slug(self) -> &'static str {
        match self {
            ExportKind::Machines => "machines",
            ExportKind::WorkCenters => "work-centers",
            ExportKind::Stations => "stations",
            ExportKind::Products => "products",
            ExportKind::Boms => "boms",
            ExportKind::Routings => "routings",
            ExportKind::WorkOrders => "work-orders",
        }
    }

    pub fn from_slug(s: &str) -> Option<ExportKind> {
        ExportKind::ALL
            .into_iter()
            .find(|k| k.slug() == s || k.slug().replace('-', "_") == s)
    }
}
