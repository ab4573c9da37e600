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

    TEAM_CREATED = "TEAM_CREATED"
    TEAM_UPDATED = "TEAM_UPDATED"
    TEAM_DELETED = "TEAM_DELETED"

    CUSTOMER_CREATED = "CUSTOMER_CREATED"
    CUSTOMER_UPDATED = "CUSTOMER_UPDATED"
    VENDOR_CREATED = "VENDOR_CREATED"
    VENDOR_UPDATED = "VENDOR_UPDATED"

    FILE_CREATED = "FILE_CREATED"

    # Security: recorded for the user whose email was tried (nothing for an email of no account).
    LOGIN_FAILED = "LOGIN_FAILED"  # a wrong password (or a deactivated user); payload: email, address
    LOGIN_THROTTLED = "LOGIN_THROTTLED"  # once per window, when failed logins first cross a limit
