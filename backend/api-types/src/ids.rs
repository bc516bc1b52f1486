//! Typed row identifiers, so a user id cannot be passed where an order id is meant.

macro_rules! id_type {
    ($($name:ident),* $(,)?) => {$(
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

id_type!(
    UserId,
    AuditId,
    CalendarId,
    WorkCenterId,
    MachineId,
    StationId,
    ReasonId,
    ProductId,
    BomId,
    RoutingId,
    RoutingOperationId,
    AttachmentId,
    WorkOrderId,
    WorkOrderOperationId,
    OperationPhaseId,
    ProductionReportId,
    AndonCallId,
);
