"""Every business event type: the registry ``record_event`` checks (no bare strings).

Names follow UpKeep's webhook names where UpKeep has one; a webhook subscription (maintenance
issue) and the ``/v1`` event feed list exactly these. Add a member when a new change is recorded;
never rename one (stored events and subscriptions name them).
"""

from __future__ import annotations

from enum import StrEnum


class EventType(StrEnum):
    WORK_ORDER_CREATED = "WORK_ORDER_CREATED"
    WORK_ORDER_UPDATED = "WORK_ORDER_UPDATED"
    WORK_ORDER_STATUS_UPDATED = "WORK_ORDER_STATUS_UPDATED"
    WORK_ORDER_DELETED = "WORK_ORDER_DELETED"

    REQUEST_CREATED = "REQUEST_CREATED"
    REQUEST_UPDATED = "REQUEST_UPDATED"
    REQUEST_APPROVED = "REQUEST_APPROVED"
    REQUEST_REJECTED = "REQUEST_REJECTED"
    REQUEST_DELETED = "REQUEST_DELETED"

    ASSET_CREATED = "ASSET_CREATED"
    ASSET_UPDATED = "ASSET_UPDATED"
    ASSET_DELETED = "ASSET_DELETED"
    ASSET_CUSTOM_FIELD_CREATED = "ASSET_CUSTOM_FIELD_CREATED"
    ASSET_CUSTOM_FIELD_UPDATED = "ASSET_CUSTOM_FIELD_UPDATED"
    ASSET_CUSTOM_FIELD_DELETED = "ASSET_CUSTOM_FIELD_DELETED"
    ASSET_DOWNTIME_STATUS_CREATED = "ASSET_DOWNTIME_STATUS_CREATED"
    ASSET_DOWNTIME_STATUS_UPDATED = "ASSET_DOWNTIME_STATUS_UPDATED"
    ASSET_DOWNTIME_STATUS_DELETED = "ASSET_DOWNTIME_STATUS_DELETED"

    LOCATION_CREATED = "LOCATION_CREATED"
    LOCATION_UPDATED = "LOCATION_UPDATED"
    LOCATION_DELETED = "LOCATION_DELETED"

    METER_CREATED = "METER_CREATED"
    METER_UPDATED = "METER_UPDATED"
    METER_DELETED = "METER_DELETED"
    METER_READING_CREATED = "METER_READING_CREATED"
    METER_READING_UPDATED = "METER_READING_UPDATED"
    METER_READING_DELETED = "METER_READING_DELETED"
    METER_NOTIFICATION_CREATED = "METER_NOTIFICATION_CREATED"
    METER_NOTIFICATION_UPDATED = "METER_NOTIFICATION_UPDATED"
    METER_NOTIFICATION_DELETED = "METER_NOTIFICATION_DELETED"
    # A reading met a notification's condition (meter.evaluation); payload: reading, outcome, work order.
    METER_NOTIFICATION_TRIGGERED = "METER_NOTIFICATION_TRIGGERED"

    # Preventive maintenance (UpKeep's names): a trigger's changes, and the work orders the sweep makes.
    WORK_ORDER_SCHEDULE_CREATED = "WORK_ORDER_SCHEDULE_CREATED"
    WORK_ORDER_SCHEDULE_UPDATED = "WORK_ORDER_SCHEDULE_UPDATED"
    WORK_ORDER_SCHEDULE_STATUS_UPDATED = "WORK_ORDER_SCHEDULE_STATUS_UPDATED"  # paused, resumed, archived
    WORK_ORDER_SCHEDULE_DELETED = "WORK_ORDER_SCHEDULE_DELETED"
    PM_WORK_ORDER_CREATED = "PM_WORK_ORDER_CREATED"  # payload: the work order, pm_trigger_id, pm_due_at
    # A work order a trigger made (or a legacy recurring work order's root) was changed / deleted: recorded
    # besides WORK_ORDER_UPDATED / WORK_ORDER_DELETED; payload: the work order and pm_trigger_id.
    PM_WORK_ORDER_UPDATED = "PM_WORK_ORDER_UPDATED"
    PM_WORK_ORDER_DELETED = "PM_WORK_ORDER_DELETED"

    # Cases (/v1, residential): CASE_CLOSED when a change closes the case, CASE_UPDATED for any other change
    # (a comment or a link included).
    CASE_CREATED = "CASE_CREATED"
    CASE_UPDATED = "CASE_UPDATED"
    CASE_CLOSED = "CASE_CLOSED"
    CASE_DELETED = "CASE_DELETED"

    TEAM_CREATED = "TEAM_CREATED"
    TEAM_UPDATED = "TEAM_UPDATED"
    TEAM_DELETED = "TEAM_DELETED"

    CUSTOMER_CREATED = "CUSTOMER_CREATED"
    CUSTOMER_UPDATED = "CUSTOMER_UPDATED"
    VENDOR_CREATED = "VENDOR_CREATED"
    VENDOR_UPDATED = "VENDOR_UPDATED"
    # Residents (premises.occupancy): the contact with its occupancy (site, unit, type, move-in/out) as
    # the change left it; a new resident also records CUSTOMER_CREATED (it is that customer).
    RESIDENT_CREATED = "RESIDENT_CREATED"
    RESIDENT_UPDATED = "RESIDENT_UPDATED"
    RESIDENT_DELETED = "RESIDENT_DELETED"

    FILE_CREATED = "FILE_CREATED"

    PART_CREATED = "PART_CREATED"
    PART_UPDATED = "PART_UPDATED"
    PART_DELETED = "PART_DELETED"
    PART_LOW_STOCK = "PART_LOW_STOCK"  # a part's count fell below its minimum quantity (part.inventory)

    # Purchase orders (UpKeep's names): APPROVED / DECLINED when a change decides it, UPDATED for any other.
    PURCHASE_ORDER_CREATED = "PURCHASE_ORDER_CREATED"
    PURCHASE_ORDER_UPDATED = "PURCHASE_ORDER_UPDATED"
    PURCHASE_ORDER_DELETED = "PURCHASE_ORDER_DELETED"
    PURCHASE_ORDER_APPROVED = "PURCHASE_ORDER_APPROVED"
    PURCHASE_ORDER_DECLINED = "PURCHASE_ORDER_DECLINED"

    FORM_TEMPLATE_CREATED = "FORM_TEMPLATE_CREATED"
    FORM_TEMPLATE_UPDATED = "FORM_TEMPLATE_UPDATED"
    FORM_TEMPLATE_DELETED = "FORM_TEMPLATE_DELETED"

    # Security: recorded for the user whose email was tried (nothing for an email of no account).
    LOGIN_FAILED = "LOGIN_FAILED"  # a wrong password (or a deactivated user); payload: email, address
    LOGIN_THROTTLED = "LOGIN_THROTTLED"  # once per window, when failed logins first cross a limit
