// The shared schema of both backends: only column types SQLite and PostgreSQL have in common.
// Kept by hand (not `diesel print-schema`) because the two databases would print different types.

diesel::table! {
    users (id) {
        id -> BigInt,
        username -> Text,
        display_name -> Text,
        password_hash -> Text,
        language -> Text,
        badge_code -> Nullable<Text>,
        pin_hash -> Nullable<Text>,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        last_login_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    user_roles (user_id, role) {
        user_id -> BigInt,
        role -> Text,
    }
}

diesel::table! {
    sessions (id) {
        id -> BigInt,
        token_hash -> Text,
        user_id -> BigInt,
        method -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        remote_addr -> Nullable<Text>,
        user_agent -> Nullable<Text>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        at -> Timestamp,
        actor_id -> Nullable<BigInt>,
        actor_name -> Text,
        action -> Text,
        entity -> Text,
        entity_id -> Text,
        before_json -> Nullable<Text>,
        after_json -> Nullable<Text>,
        remote_addr -> Nullable<Text>,
    }
}

diesel::table! {
    idempotency_keys (user_id, key) {
        key -> Text,
        user_id -> BigInt,
        method -> Text,
        path -> Text,
        status -> Integer,
        response_body -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    calendars (id) {
        id -> BigInt,
        code -> Text,
        name -> Text,
        description -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    calendar_shifts (id) {
        id -> BigInt,
        calendar_id -> BigInt,
        name -> Text,
        weekdays -> SmallInt,
        start_minute -> Integer,
        end_minute -> Integer,
    }
}

diesel::table! {
    calendar_breaks (id) {
        id -> BigInt,
        shift_id -> BigInt,
        start_minute -> Integer,
        end_minute -> Integer,
    }
}

diesel::table! {
    calendar_exceptions (id) {
        id -> BigInt,
        calendar_id -> BigInt,
        day -> Date,
        kind -> Text,
        start_minute -> Nullable<Integer>,
        end_minute -> Nullable<Integer>,
        note -> Text,
    }
}

diesel::table! {
    work_centers (id) {
        id -> BigInt,
        code -> Text,
        name -> Text,
        description -> Text,
        calendar_id -> Nullable<BigInt>,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    machines (id) {
        id -> BigInt,
        code -> Text,
        name -> Text,
        work_center_id -> BigInt,
        kind -> Text,
        status -> Text,
        calendar_id -> Nullable<BigInt>,
        description -> Text,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    stations (id) {
        id -> BigInt,
        code -> Text,
        name -> Text,
        machine_id -> Nullable<BigInt>,
        work_center_id -> Nullable<BigInt>,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    defect_reasons (id) {
        id -> BigInt,
        code -> Text,
        name_zh -> Text,
        name_en -> Text,
        active -> Bool,
        position -> Integer,
    }
}

diesel::table! {
    downtime_reasons (id) {
        id -> BigInt,
        code -> Text,
        name_zh -> Text,
        name_en -> Text,
        planned -> Bool,
        active -> Bool,
        position -> Integer,
    }
}

diesel::table! {
    products (id) {
        id -> BigInt,
        code -> Text,
        name -> Text,
        unit -> Text,
        kind -> Text,
        description -> Text,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    boms (id) {
        id -> BigInt,
        product_id -> BigInt,
        version -> Integer,
        status -> Text,
        note -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    bom_lines (id) {
        id -> BigInt,
        bom_id -> BigInt,
        position -> Integer,
        component_id -> BigInt,
        quantity_per -> Double,
        scrap_factor -> Double,
        note -> Text,
    }
}

diesel::table! {
    routings (id) {
        id -> BigInt,
        product_id -> BigInt,
        version -> Integer,
        status -> Text,
        note -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    routing_operations (id) {
        id -> BigInt,
        routing_id -> BigInt,
        seq -> Integer,
        name -> Text,
        work_center_id -> BigInt,
        setup_minutes -> Double,
        run_minutes_per_unit -> Double,
        queue_minutes -> Double,
        transfer_minutes -> Double,
        inspection_required -> Bool,
        instruction -> Text,
        piece_rate -> Nullable<Double>,
    }
}

diesel::table! {
    routing_operation_machines (operation_id, machine_id) {
        operation_id -> BigInt,
        machine_id -> BigInt,
        run_minutes_per_unit -> Nullable<Double>,
    }
}

diesel::table! {
    attachments (id) {
        id -> BigInt,
        owner_kind -> Text,
        owner_id -> BigInt,
        file_name -> Text,
        content_type -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        data -> Binary,
        created_at -> Timestamp,
    }
}

diesel::table! {
    settings (key) {
        key -> Text,
        value -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    number_sequences (name) {
        name -> Text,
        next_value -> BigInt,
    }
}

diesel::table! {
    work_orders (id) {
        id -> BigInt,
        number -> Text,
        product_id -> BigInt,
        quantity -> Double,
        due_at -> Timestamp,
        release_at -> Nullable<Timestamp>,
        priority -> Integer,
        customer -> Text,
        sales_order -> Text,
        notes -> Text,
        status -> Text,
        held_from -> Nullable<Text>,
        hold_reason -> Nullable<Text>,
        routing_id -> Nullable<BigInt>,
        bom_id -> Nullable<BigInt>,
        parent_id -> Nullable<BigInt>,
        qty_good -> Double,
        qty_scrap -> Double,
        lock_version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        released_at -> Nullable<Timestamp>,
        started_at -> Nullable<Timestamp>,
        completed_at -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    work_order_dependencies (work_order_id, predecessor_id) {
        work_order_id -> BigInt,
        predecessor_id -> BigInt,
    }
}

diesel::table! {
    work_order_operations (id) {
        id -> BigInt,
        work_order_id -> BigInt,
        seq -> Integer,
        name -> Text,
        work_center_id -> BigInt,
        routing_operation_id -> Nullable<BigInt>,
        setup_minutes -> Double,
        run_minutes_per_unit -> Double,
        queue_minutes -> Double,
        transfer_minutes -> Double,
        inspection_required -> Bool,
        instruction -> Text,
        status -> Text,
        qty_good -> Double,
        qty_scrap -> Double,
        qty_rework -> Double,
        started_at -> Nullable<Timestamp>,
        completed_at -> Nullable<Timestamp>,
        planned_machine_id -> Nullable<BigInt>,
        planned_start -> Nullable<Timestamp>,
        planned_end -> Nullable<Timestamp>,
        lock_version -> Integer,
        piece_rate -> Nullable<Double>,
    }
}

diesel::table! {
    work_order_operation_machines (operation_id, machine_id) {
        operation_id -> BigInt,
        machine_id -> BigInt,
        run_minutes_per_unit -> Double,
    }
}

diesel::table! {
    work_order_materials (id) {
        id -> BigInt,
        work_order_id -> BigInt,
        position -> Integer,
        product_id -> BigInt,
        quantity_required -> Double,
        quantity_issued -> Double,
    }
}

diesel::table! {
    work_order_events (id) {
        id -> BigInt,
        work_order_id -> BigInt,
        at -> Timestamp,
        kind -> Text,
        actor_id -> Nullable<BigInt>,
        actor_name -> Text,
        detail -> Text,
    }
}

diesel::table! {
    station_sessions (id) {
        id -> BigInt,
        station_id -> BigInt,
        token_hash -> Text,
        started_at -> Timestamp,
        ended_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    station_operators (id) {
        id -> BigInt,
        session_id -> BigInt,
        user_id -> BigInt,
        signed_in_at -> Timestamp,
        signed_out_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    operation_phases (id) {
        id -> BigInt,
        operation_id -> BigInt,
        work_order_id -> BigInt,
        machine_id -> BigInt,
        station_id -> Nullable<BigInt>,
        kind -> Text,
        downtime_reason_id -> Nullable<BigInt>,
        note -> Text,
        started_at -> Timestamp,
        ended_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    labour_entries (id) {
        id -> BigInt,
        user_id -> BigInt,
        operation_id -> BigInt,
        phase_id -> BigInt,
        kind -> Text,
        started_at -> Timestamp,
        ended_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    production_reports (id) {
        id -> BigInt,
        operation_id -> BigInt,
        work_order_id -> BigInt,
        machine_id -> Nullable<BigInt>,
        station_id -> Nullable<BigInt>,
        operator_id -> Nullable<BigInt>,
        good -> Double,
        scrap -> Double,
        rework -> Double,
        reported_at -> Timestamp,
        supervisor_override -> Bool,
        override_by -> Nullable<BigInt>,
        note -> Text,
    }
}

diesel::table! {
    production_report_defects (id) {
        id -> BigInt,
        report_id -> BigInt,
        reason_id -> BigInt,
        disposition -> Text,
        quantity -> Double,
    }
}

diesel::table! {
    andon_calls (id) {
        id -> BigInt,
        machine_id -> Nullable<BigInt>,
        station_id -> Nullable<BigInt>,
        kind -> Text,
        status -> Text,
        note -> Text,
        raised_by -> Nullable<BigInt>,
        raised_at -> Timestamp,
        acknowledged_by -> Nullable<BigInt>,
        acknowledged_at -> Nullable<Timestamp>,
        resolved_by -> Nullable<BigInt>,
        resolved_at -> Nullable<Timestamp>,
        resolution_note -> Text,
    }
}

diesel::table! {
    idempotent_requests (principal, key) {
        principal -> Text,
        key -> Text,
        method -> Text,
        path -> Text,
        body_hash -> Text,
        status -> Integer,
        response_body -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    schedule_plans (id) {
        id -> BigInt,
        version -> Integer,
        status -> Text,
        kind -> Text,
        trigger_kind -> Text,
        reason -> Text,
        base_plan_id -> Nullable<BigInt>,
        origin -> Timestamp,
        time_limit_ms -> BigInt,
        created_by -> Nullable<BigInt>,
        created_by_name -> Text,
        created_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
        published_at -> Nullable<Timestamp>,
        published_by -> Nullable<BigInt>,
        error -> Nullable<Text>,
        late_orders -> Nullable<Integer>,
        total_weighted_tardiness_minutes -> Nullable<BigInt>,
        makespan_end -> Nullable<Timestamp>,
        moved_operations -> Nullable<Integer>,
        solver_iterations -> Nullable<BigInt>,
    }
}

diesel::table! {
    schedule_planned_operations (id) {
        id -> BigInt,
        plan_id -> BigInt,
        operation_id -> BigInt,
        machine_id -> BigInt,
        setup_start -> Timestamp,
        run_start -> Timestamp,
        end_at -> Timestamp,
        late -> Bool,
        frozen -> Bool,
    }
}

diesel::table! {
    schedule_planned_orders (plan_id, work_order_id) {
        plan_id -> BigInt,
        work_order_id -> BigInt,
        planned_finish -> Timestamp,
        tardiness_minutes -> BigInt,
        bottleneck_machine_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    schedule_moves (id) {
        id -> BigInt,
        plan_id -> BigInt,
        operation_id -> BigInt,
        from_machine_id -> Nullable<BigInt>,
        from_start -> Nullable<Timestamp>,
        to_machine_id -> BigInt,
        to_start -> Timestamp,
        reason -> Text,
    }
}

diesel::table! {
    schedule_pins (id) {
        id -> BigInt,
        operation_id -> BigInt,
        machine_id -> BigInt,
        start_at -> Timestamp,
        pinned_by -> Nullable<BigInt>,
        pinned_by_name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    schedule_settings (id) {
        id -> BigInt,
        auto_replan -> Bool,
        frozen_horizon_minutes -> Integer,
        default_time_limit_ms -> BigInt,
        horizon_days -> Integer,
        down_estimate_minutes -> Integer,
        lock_version -> Integer,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(user_roles -> users (user_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(audit_log -> users (actor_id));
diesel::joinable!(idempotency_keys -> users (user_id));
diesel::joinable!(calendar_shifts -> calendars (calendar_id));
diesel::joinable!(calendar_breaks -> calendar_shifts (shift_id));
diesel::joinable!(calendar_exceptions -> calendars (calendar_id));
diesel::joinable!(work_centers -> calendars (calendar_id));
diesel::joinable!(machines -> work_centers (work_center_id));
diesel::joinable!(boms -> products (product_id));
diesel::joinable!(bom_lines -> boms (bom_id));
diesel::joinable!(bom_lines -> products (component_id));
diesel::joinable!(routings -> products (product_id));
diesel::joinable!(routing_operations -> routings (routing_id));
diesel::joinable!(routing_operations -> work_centers (work_center_id));
diesel::joinable!(routing_operation_machines -> routing_operations (operation_id));
diesel::joinable!(routing_operation_machines -> machines (machine_id));
diesel::joinable!(work_orders -> products (product_id));
diesel::joinable!(work_orders -> routings (routing_id));
diesel::joinable!(work_orders -> boms (bom_id));
diesel::joinable!(work_order_operations -> work_orders (work_order_id));
diesel::joinable!(work_order_operations -> work_centers (work_center_id));
diesel::joinable!(work_order_operation_machines -> work_order_operations (operation_id));
diesel::joinable!(work_order_operation_machines -> machines (machine_id));
diesel::joinable!(work_order_materials -> work_orders (work_order_id));
diesel::joinable!(work_order_materials -> products (product_id));
diesel::joinable!(work_order_events -> work_orders (work_order_id));
diesel::joinable!(station_sessions -> stations (station_id));
diesel::joinable!(station_operators -> station_sessions (session_id));
diesel::joinable!(station_operators -> users (user_id));
diesel::joinable!(operation_phases -> work_order_operations (operation_id));
diesel::joinable!(operation_phases -> machines (machine_id));
diesel::joinable!(labour_entries -> operation_phases (phase_id));
diesel::joinable!(production_reports -> work_order_operations (operation_id));
diesel::joinable!(production_report_defects -> production_reports (report_id));
diesel::joinable!(production_report_defects -> defect_reasons (reason_id));

diesel::joinable!(schedule_planned_operations -> schedule_plans (plan_id));
diesel::joinable!(schedule_planned_operations -> work_order_operations (operation_id));
diesel::joinable!(schedule_planned_operations -> machines (machine_id));
diesel::joinable!(schedule_planned_orders -> schedule_plans (plan_id));
diesel::joinable!(schedule_planned_orders -> work_orders (work_order_id));
diesel::joinable!(schedule_moves -> schedule_plans (plan_id));
diesel::joinable!(schedule_moves -> work_order_operations (operation_id));
diesel::joinable!(schedule_pins -> work_order_operations (operation_id));

diesel::allow_tables_to_appear_in_same_query!(
    users,
    user_roles,
    sessions,
    audit_log,
    idempotency_keys,
    calendars,
    calendar_shifts,
    calendar_breaks,
    calendar_exceptions,
    work_centers,
    machines,
    stations,
    defect_reasons,
    downtime_reasons,
    products,
    boms,
    bom_lines,
    routings,
    routing_operations,
    routing_operation_machines,
    attachments,
    settings,
    number_sequences,
    work_orders,
    work_order_dependencies,
    work_order_operations,
    work_order_operation_machines,
    work_order_materials,
    work_order_events,
    station_sessions,
    station_operators,
    operation_phases,
    labour_entries,
    production_reports,
    production_report_defects,
    andon_calls,
    idempotent_requests,
    schedule_plans,
    schedule_planned_operations,
    schedule_planned_orders,
    schedule_moves,
    schedule_pins,
    schedule_settings,
);
