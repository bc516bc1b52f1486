//! English.

use super::Key;

pub fn text(key: Key) -> &'static str {
    match key {
        Key::DocumentTitle => "MES – Manufacturing Execution System",
        Key::ProductName => "Manufacturing Execution System",
        Key::Loading => "Loading…",
        Key::Language => "Language",
        Key::MainNavigation => "Main navigation",
        Key::UserMenu => "User menu",
        Key::SignedInAs => "Signed in as",
        Key::ApiDocs => "API documentation",
        Key::NavHome => "Home",
        Key::NavWorkOrders => "Work orders",
        Key::NavScheduling => "Scheduling",
        Key::NavReporting => "Reporting",
        Key::NavQuality => "Quality",
        Key::NavEquipment => "Equipment",
        Key::NavMaintenance => "Maintenance",
        Key::NavEnergy => "Energy",
        Key::NavDashboards => "Dashboards",
        Key::NavMasterData => "Master data",
        Key::NavAdministration => "Administration",
        Key::NavUsers => "Users",
        Key::NavAudit => "Audit",
        Key::Coming => "Coming",
        Key::ComingHint => "This module is being built and arrives in a later release.",
        Key::SignInTitle => "Sign in",
        Key::SignIn => "Sign in",
        Key::SigningIn => "Signing in…",
        Key::SignOut => "Sign out",
        Key::Username => "Username",
        Key::Password => "Password",
        Key::SessionExpired => "Your session has expired. Please sign in again.",
        Key::WrongCredentials => "Wrong username or password.",
        Key::ChangePassword => "Change password",
        Key::CurrentPassword => "Current password",
        Key::NewPassword => "New password",
        Key::ConfirmPassword => "Confirm new password",
        Key::PasswordsDiffer => "The passwords do not match.",
        Key::PasswordChanged => "Your password has been changed.",
        Key::Required => "This field is required.",
        Key::Save => "Save",
        Key::Saving => "Saving…",
        Key::Cancel => "Cancel",
        Key::Close => "Close",
        Key::Retry => "Try again",
        Key::Refresh => "Refresh",
        Key::Search => "Search",
        Key::Edit => "Edit",
        Key::Actions => "Actions",
        Key::Status => "Status",
        Key::Active => "Active",
        Key::Disabled => "Disabled",
        Key::Pagination => "Pagination",
        Key::PreviousPage => "Previous",
        Key::NextPage => "Next",
        Key::Clear => "Clear",
        Key::BackHome => "Back to the home page",
        Key::YourAccount => "Your account",
        Key::Roles => "Roles",
        Key::Role => "Role",
        Key::SystemHealth => "System health",
        Key::SystemStatus => "System status",
        Key::HealthOk => "OK",
        Key::HealthDegraded => "Degraded",
        Key::Database => "Database",
        Key::Version => "Version",
        Key::ShopFloorScreens => "Shop-floor screens",
        Key::BoardScreen => "Shop-floor board",
        Key::BoardScreenHint => {
            "Open full-screen on the hall display; no sign-in needed, refreshes itself."
        }
        Key::StationScreen => "Station terminal",
        Key::StationScreenHint => {
            "Open on the tablet at the machine, with <machine-code> replaced by the machine's code; operators sign in with badge and PIN."
        }
        Key::RoleAdmin => "Administrator",
        Key::RoleManager => "Manager",
        Key::RolePlanner => "Planner",
        Key::RoleSupervisor => "Supervisor",
        Key::RoleQuality => "Quality",
        Key::RoleMaintenance => "Maintenance",
        Key::RoleOperator => "Operator",
        Key::UsersTitle => "Users",
        Key::NewUser => "New user",
        Key::CreateUser => "Create user",
        Key::EditUser => "Edit user",
        Key::UserSearchPlaceholder => "Username or name",
        Key::AllRoles => "All roles",
        Key::AllStatuses => "All statuses",
        Key::NoUsersFound => "No users match these filters.",
        Key::DisplayName => "Display name",
        Key::LastLogin => "Last sign-in",
        Key::Badge => "Badge",
        Key::HasPin => "PIN set",
        Key::Pin => "PIN",
        Key::InitialPassword => "Initial password",
        Key::InitialPasswordHint => {
            "Tell the user, and ask them to change it after their first sign-in."
        }
        Key::ChooseRole => "Choose at least one role.",
        Key::UsernameRules => {
            "The username must be 2–64 characters: lower-case letters, digits and . _ -"
        }
        Key::UsernameHint => "Used to sign in; it cannot be changed later.",
        Key::DisplayNameHint => "Leave empty to use the username.",
        Key::PasswordRules => "The password must be 8–200 characters long.",
        Key::BadgeRules => "The badge code must have no spaces and at most 64 characters.",
        Key::RemovePin => "Remove the PIN",
        Key::AccountActive => "Account active",
        Key::AccountActiveHint => "A disabled user cannot sign in; their history is kept.",
        Key::ResetPassword => "Reset password",
        Key::LeaveEmptyToKeep => "Leave empty to keep the current password.",
        Key::StationSignIn => "Station sign-in",
        Key::BadgeHint => {
            "The code on the operator's badge, scanned at the station; clear it to remove the badge."
        }
        Key::PinHint => "4–8 digits, used with the badge at a station.",
        Key::PinKeepHint => {
            "A PIN is set; leave empty to keep it, or type a new one to replace it."
        }
        Key::AuditTitle => "Audit trail",
        Key::EntityType => "Entity",
        Key::EntityTypePlaceholder => "e.g. user",
        Key::EntityId => "Entity ID",
        Key::EntityIdPlaceholder => "e.g. 42",
        Key::Actor => "Actor",
        Key::ActorPlaceholder => "Username",
        Key::Action => "Action",
        Key::AllActions => "All actions",
        Key::AuditActionCreate => "Create",
        Key::AuditActionUpdate => "Update",
        Key::AuditActionDelete => "Delete",
        Key::DateFrom => "From",
        Key::DateTo => "To",
        Key::InvalidDate => "Invalid date.",
        Key::DateRangeReversed => "The end date is before the start date.",
        Key::ClearFilters => "Clear filters",
        Key::NoAuditEntries => "No audit entries match these filters.",
        Key::Time => "Time",
        Key::RemoteAddress => "Address",
        Key::Changes => "Changes",
        Key::ShowChanges => "Show changes",
        Key::SystemActor => "System",
        Key::Field => "Field",
        Key::Before => "Before",
        Key::After => "After",
        Key::Changed => "changed",
        Key::Value => "Value",
        Key::NoRecordedValues => "No values were recorded for this entry.",
        Key::Station => "Station",
        Key::Online => "Online",
        Key::Offline => "Offline",
        Key::SignedInOperators => "Signed-in operators",
        Key::BadgeSignInTitle => "Sign in with your badge",
        Key::BadgeSignInHint => "Scan your badge, then enter your PIN.",
        Key::ScanBadgeFirst => "Scan your badge first.",
        Key::EnterPin => "Enter your PIN.",
        Key::WrongBadgeOrPin => "Wrong badge or PIN.",
        Key::PinKeypad => "PIN keypad",
        Key::DeleteDigit => "Delete one digit",
        Key::NoWorkQueued => "No work is queued",
        Key::NoWorkQueuedHint => {
            "Operations appear here once work orders are released and dispatched. This machine:"
        }
        Key::BoardTitle => "Shop-floor board",
        Key::ConnectionLost => "Connection lost",
        Key::LastUpdate => "Last update",
        Key::RefreshesAutomatically => "Refreshes automatically",
        Key::ReconnectingAutomatically => "Reconnecting automatically",
        Key::ErrorNetwork => "Cannot reach the server",
        Key::ErrorNetworkHint => "Check the network connection and try again.",
        Key::ErrorUnexpected => "Something unexpected happened",
        Key::ErrorUnexpectedHint => {
            "The server's answer was not understood. Reload the page; if this keeps happening, contact your administrator."
        }
        Key::ErrorBadRequest => "Invalid request",
        Key::ErrorValidation => "Please correct the input",
        Key::ErrorUnauthorized => "Sign-in required",
        Key::ErrorForbidden => "No permission",
        Key::ErrorNotFound => "Not found",
        Key::ErrorMethodNotAllowed => "Operation not supported",
        Key::ErrorConflict => "Conflicts with the current state",
        Key::ErrorPayloadTooLarge => "Too large",
        Key::ErrorUnsupportedMediaType => "Unsupported format",
        Key::ErrorUnprocessable => "Cannot be processed",
        Key::ErrorRateLimited => "Too many attempts",
        Key::ErrorInternal => "Server error",
        Key::ErrorInternalHint => {
            "The server failed to handle the request; the details are in its log. Try again later or contact your administrator."
        }
        Key::ErrorUnavailable => "Service unavailable",
        Key::ErrorUnavailableHint => {
            "The server cannot serve right now (for example, its database is unreachable). Try again shortly."
        }
        Key::ForbiddenTitle => "No permission",
        Key::ForbiddenText => {
            "Your account is not allowed to open this page. Ask an administrator if you need access."
        }
        Key::NotFoundTitle => "Page not found",
        Key::NotFoundText => {
            "There is no page at this address. It may have moved, or the address may be mistyped."
        }
    }
}
