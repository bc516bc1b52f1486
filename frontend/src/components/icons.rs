//! Line icons drawn inline (24×24, stroked with the text colour), so they need no extra requests
//! and follow the theme. Always decorative: the text next to them carries the meaning.

use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Icon {
    Home,
    WorkOrders,
    Scheduling,
    Reporting,
    Quality,
    Equipment,
    Maintenance,
    Energy,
    Dashboards,
    MasterData,
    Users,
    Audit,
    SignOut,
    Key,
    ChevronDown,
    ChevronRight,
    Plus,
    Edit,
    Refresh,
    Close,
    Search,
    Docs,
    Download,
    Upload,
    Print,
    Trash,
}

impl Icon {
    fn path(self) -> &'static str {
        match self {
            Icon::Home => "M3 11 12 3l9 8M5 10v10h5v-6h4v6h5V10",
            Icon::WorkOrders => {
                "M9 3h6v4H9zM9 5H6a1 1 0 0 0-1 1v14a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1V6a1 1 0 0 0-1-1h-3M8 12h8M8 16h5"
            }
            Icon::Scheduling => "M4 6h16v14H4zM4 10h16M8 3v5M16 3v5M8 14h3M8 17h6",
            Icon::Reporting => "M4 4h16v16H4zM8 12l3 3 5-6",
            Icon::Quality => "M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6zM9 12l2 2 4-4",
            Icon::Equipment => {
                "M12 9a3 3 0 1 0 0 6 3 3 0 1 0 0-6zM12 2v3M12 19v3M2 12h3M19 12h3M4.9 4.9 7 7M17 17l2.1 2.1M4.9 19.1 7 17M17 7l2.1-2.1"
            }
            Icon::Maintenance => {
                "M14.5 6.5a4 4 0 0 0-5 5L3 18v3h3l6.5-6.5a4 4 0 0 0 5-5l-2.5 2.5-2.5-.5-.5-2.5z"
            }
            Icon::Energy => "M13 2 4 14h7l-1 8 9-12h-7z",
            Icon::Dashboards => "M4 20h16M7 16v-5M12 16V6M17 16v-8",
            Icon::MasterData => {
                "M4 6c0-1.7 3.6-3 8-3s8 1.3 8 3-3.6 3-8 3-8-1.3-8-3zM4 6v12c0 1.7 3.6 3 8 3s8-1.3 8-3V6M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3"
            }
            Icon::Users => {
                "M16 21v-2a4 4 0 0 0-4-4H6a4 4 0 0 0-4 4v2M9 11a4 4 0 1 0 0-8 4 4 0 1 0 0 8zM22 21v-2a4 4 0 0 0-3-3.9M16 3.1a4 4 0 0 1 0 7.8"
            }
            Icon::Audit => "M12 8v4l3 2M3.5 11a8.5 8.5 0 1 1 .6 4M3 4v5h5",
            Icon::SignOut => "M9 21H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h4M16 17l5-5-5-5M21 12H9",
            Icon::Key => {
                "M7.5 14a3.5 3.5 0 1 0 0 7 3.5 3.5 0 1 0 0-7zM10 15.5 20 5.5M16 9.5l3 3M19 6.5l2 2"
            }
            Icon::ChevronDown => "M6 9l6 6 6-6",
            Icon::ChevronRight => "M9 6l6 6-6 6",
            Icon::Plus => "M12 5v14M5 12h14",
            Icon::Edit => "M12 20h9M16.5 3.5a2.1 2.1 0 0 1 3 3L7 19l-4 1 1-4z",
            Icon::Refresh => "M20 12a8 8 0 1 1-2.3-5.7L20 8.6M20 3.5v5.1h-5.1",
            Icon::Close => "M6 6l12 12M18 6 6 18",
            Icon::Search => "M11 4a7 7 0 1 0 0 14 7 7 0 1 0 0-14zM21 21l-5-5",
            Icon::Download => "M12 4v11M7 10l5 5 5-5M5 20h14",
            Icon::Upload => "M12 20V9M7 14l5-5 5 5M5 4h14",
            Icon::Print => "M7 9V3h10v6M7 17H4v-7h16v7h-3M7 14h10v7H7z",
            Icon::Trash => "M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13",
            Icon::Docs => {
                "M4 4h6a3 3 0 0 1 3 3v13a2 2 0 0 0-2-2H4zM20 4h-6a3 3 0 0 0-3 3v13a2 2 0 0 1 2-2h7z"
            }
        }
    }
}

#[component]
pub fn IconView(icon: Icon) -> impl IntoView {
    view! {
        <svg
            class="icon"
            viewBox="0 0 24 24"
            fill="none"
            stroke="currentColor"
            stroke-width="2"
            stroke-linecap="round"
            stroke-linejoin="round"
            aria-hidden="true"
            focusable="false"
        >
            <path d=icon.path()></path>
        </svg>
    }
}
