"""Domain errors: a category (the class), a stable code, the domain field it concerns, parameters.

No HTTP and no wire names here. Each API dialect maps the category to its status, the field to its
own name for it, and the code to its own message (``premises.api.upkeep.messages``). ``message``
is the domain's English rendering, with domain field names; a dialect without a template of its own
for a code uses it.

    raise DomainValidation(ErrorCode.NOT_FOUND, field="custom_status_id", id=status_id)

Codes are stable (clients and dialect templates key on them): add, never rename. Parameters whose
name ends in ``field`` hold field names too, and are translated by the dialect like ``field``.
The older form, ``DomainValidation("a sentence", field=...)``, is code ``INVALID`` with that sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum


class ErrorCode(StrEnum):
    """Every reason the domain refuses something. The template beside each is the domain's message."""

    INVALID = "invalid"
    # A field's value
    REQUIRED = "required"
    NOT_FOUND = "not_found"  # a reference to a record that is missing or that the principal may not see
    UNKNOWN_FIELD = "unknown_field"
    READ_ONLY = "read_only"
    WRONG_TYPE = "wrong_type"
    NOT_ONE_OF = "not_one_of"
    TOO_LONG = "too_long"
    OUT_OF_RANGE = "out_of_range"
    NEGATIVE = "negative"
    NOT_BEFORE = "not_before"
    INVALID_EMAIL = "invalid_email"
    CONTAINS_NUL = "contains_nul"
    # Wire input (kit): raised by premises.api.kit with the client's field names (WireInputError)
    BODY_NOT_OBJECT = "body_not_object"
    BODY_NOT_JSON = "body_not_json"
    BODY_NOT_UTF8 = "body_not_utf8"
    BODY_CONTAINS_NUL = "body_contains_nul"
    QUERY_CONTAINS_NUL = "query_contains_nul"
    UNKNOWN_PARAMETER = "unknown_parameter"  # a query parameter the list or route does not take
    INVALID_INCLUDE = "invalid_include"  # a name to expand that the route does not offer
    INVALID_SORT = "invalid_sort"  # a sort key that names no sortable field
    INVALID_SORT_DIRECTION = "invalid_sort_direction"
    # Lists (premises.kit.listing: conditions, sort keys, search, cursors; field = the domain name)
    UNKNOWN_OPERATOR = "unknown_operator"
    OPERATOR_NOT_ALLOWED = "operator_not_allowed"  # the field is declared, but not filterable with this operator
    NOT_SORTABLE = "not_sortable"
    NOT_SEARCHABLE = "not_searchable"  # the list declares no searchable field
    INVALID_PATTERN = "invalid_pattern"  # a LIKE pattern with a dangling or unknown escape
    TOO_MANY_VALUES = "too_many_values"  # an IN list, sort keys or search terms over their limit
    BETWEEN_BOUNDS = "between_bounds"  # BETWEEN without exactly a lower and an upper bound
    INVALID_CURSOR = "invalid_cursor"  # not a cursor this list gave out for this sort
    # Records and state
    RECORD_NOT_FOUND = "record_not_found"  # the record a path names
    DUPLICATE = "duplicate"
    IN_USE = "in_use"
    INVALID_TRANSITION = "invalid_transition"
    PERMISSION_DENIED = "permission_denied"
    UNAUTHENTICATED = "unauthenticated"
    RATE_LIMITED = "rate_limited"
    TOO_LARGE = "too_large"
    UNAVAILABLE = "unavailable"  # the database is out of connections or unreachable: retry
    CONFLICTING_CHANGE = "conflicting_change"  # a constraint no rule explains (db.integrity)
    # Places
    LOCATION_REQUIRED_FOR_LOCATION_BASED = "location_required_for_location_based"
    NOT_BETWEEN = "not_between"  # a number outside {min}..{max} (latitude, longitude)
    PLACE_UNDER_ITSELF = "place_under_itself"  # a parent that is the place itself or one of its sub-places
    HAS_SUB_PLACES = "has_sub_places"
    TOP_LEVEL_CREATE_FOR_LOCATION_BASED = "top_level_create_for_location_based"
    TOP_LEVEL_MOVE_FOR_LOCATION_BASED = "top_level_move_for_location_based"
    CUSTOM_FIELD_ITEM_NOT_FOUND = "custom_field_item_not_found"  # an item of a place's custom_fields names no field
    NOT_A_CODE = "not_a_code"  # a site code that is not 1 to 12 letters or digits
    # Contacts and files
    NOT_IN_ROLE = "not_in_role"  # a contact field that belongs to another role (a vendor_type for a customer)
    FILE_TOO_LARGE = "file_too_large"
    # Users, teams and identity
    NOT_A_MEMBER = "not_a_member"
    CREDENTIALS_REQUIRED = "credentials_required"  # no resolver recognised the request's credentials
    INVALID_CREDENTIALS = "invalid_credentials"  # a token or signature that is unknown, expired or revoked
    LOGIN_FAILED = "login_failed"
    UNKNOWN_SESSION = "unknown_session"
    INSUFFICIENT_SCOPE = "insufficient_scope"  # the role allows it, the credentials' scopes do not
    ROLE_MAY_NOT = "role_may_not"
    SITE_NOT_FOUND = "site_not_found"
    NOT_A_SITE_MEMBER = "not_a_site_member"  # a site filter naming a site the principal is not a member of
    NOT_A_SITE = "not_a_site"
    OWN_SCOPE_CHANGE = "own_scope_change"  # nobody changes their own role
    SCOPED_ADMIN_MAY_NOT_CHANGE = "scoped_admin_may_not_change"
    SCOPED_ADMIN_OUTSIDE_SITES = "scoped_admin_outside_sites"
    SCOPED_ADMIN_OWN_SITES = "scoped_admin_own_sites"
    SCOPED_ADMIN_SITES_NOT_HELD = "scoped_admin_sites_not_held"
    SCOPED_ADMIN_CREATES_SCOPED = "scoped_admin_creates_scoped"
    SELF_DEACTIVATION = "self_deactivation"
    PASSWORD_BLANK = "password_blank"  # a new password of whitespace only
    PASSWORD_TOO_SHORT = "password_too_short"  # a new password under the configured minimum length
    PASSWORD_IS_EMAIL = "password_is_email"  # a new password equal to the email address or its local part
    PASSWORD_TOO_COMMON = "password_too_common"  # a new password on the common-password list
    LOGIN_THROTTLED = "login_throttled"  # too many failed logins for the email or from the client address
    # OAuth 2.0 clients and their token endpoint (identity.clients, identity.tokens; RFC 6749 §5.2)
    INVALID_CLIENT = "invalid_client"  # unknown client, wrong secret, revoked client, no client authentication
    UNAUTHORIZED_CLIENT = "unauthorized_client"  # an authenticated client whose user is deactivated
    UNSUPPORTED_GRANT_TYPE = "unsupported_grant_type"  # any grant but client_credentials
    INVALID_SCOPE = "invalid_scope"  # a scope that is unknown or not granted to the client
    REPEATED_PARAMETER = "repeated_parameter"  # a token request parameter given more than once
    TWO_CLIENT_AUTHENTICATIONS = "two_client_authentications"  # HTTP Basic and body credentials together
    CLIENT_THROTTLED = "client_throttled"  # too many failed client authentications
    # Assets, custom fields, downtime
    ASSET_UNDER_ITSELF = "asset_under_itself"  # a parent that is the asset itself or one of its sub-assets
    NOT_A_DOWNTIME_STATUS = "not_a_downtime_status"
    BUILT_IN_DOWNTIME_STATUS = "built_in_downtime_status"  # a status name that is a built-in status
    OPTIONS_REQUIRED = "options_required"  # a dropdown field without options
    PRECISION_REQUIRED = "precision_required"  # a number or currency field without a decimal precision
    ONLY_FOR_DROPDOWNS = "only_for_dropdowns"
    ONLY_FOR_NUMBERS = "only_for_numbers"
    EMPTY_OPTIONS = "empty_options"
    TOO_MANY_OPTIONS = "too_many_options"
    NOT_A_FIELD_OPTION = "not_a_field_option"  # a dropdown value outside the field's options
    VALUE_OF_OTHER_TYPE = "value_of_other_type"  # a custom field value given as another type than the field's
    CHANGED_ON_DEFINITION = "changed_on_definition"  # a typed value's name belongs to its definition
    NOT_OF_TYPED_FIELDS = "not_of_typed_fields"  # a part only free fields have (a unit)
    CATEGORY_ONLY_WHEN_NOT_AVAILABLE = "category_only_when_not_available"
    NONE_GIVEN = "none_given"  # an empty batch
    TOO_MANY_GIVEN = "too_many_given"  # a batch over its limit
    NOT_ASSIGNABLE = "not_assignable"  # a kind of member a record cannot have
    # Requests and work orders
    NOT_A_CATEGORY = "not_a_category"  # a category name the account does not define for this kind
    NOT_A_COST_CATEGORY = "not_a_cost_category"
    NOT_AN_OPTION = "not_an_option"  # a multiple-choice value outside the line's options
    NOT_AVAILABLE_YET = "not_available_yet"
    ROLE_MAY_NOT_CHANGE = "role_may_not_change"  # an OWN grant changes only what its holder works on
    NOT_ASSIGNED = "not_assigned"
    NOT_OPEN = "not_open"  # a decided request (approved, rejected, cancelled) is final
    # Webhooks
    WEBHOOK_URL_REFUSED = "webhook_url_refused"  # not http(s), or resolving into the server's network (SSRF)
    UNKNOWN_EVENT = "unknown_event"  # an event name the dialect does not offer
    DELIVERY_PENDING = "delivery_pending"  # a redelivery of a delivery that is still being tried
    # Meters
    READING_BELOW_PREVIOUS = "reading_below_previous"  # a cumulative meter read lower than before, not as a reset
    READING_ABOVE_NEXT = "reading_above_next"  # a back-dated reading of a cumulative meter above a later one
    # Parts and inventory
    NOT_ENOUGH_STOCK = "not_enough_stock"  # a use of a part larger than its count on hand
    PART_UNDER_ITSELF = "part_under_itself"  # a parent part that is the part itself or one of its children
    QUANTITIES_DO_NOT_MATCH = "quantities_do_not_match"  # parts and their quantities differ in length
    # Purchase orders: a partial receipt (UpKeep documents each message)
    RECEIPT_NOT_POSITIVE = "receipt_not_positive"  # a received count that is not a positive integer
    RECEIPT_WRONG_STATUS = "receipt_wrong_status"  # receiving while not approved or partially fulfilled
    RECEIPT_OVER_PENDING = "receipt_over_pending"  # more than pending, or a part not on the order
    PARTS_ALREADY_RECEIVED = "parts_already_received"  # changing the part lines after parts were received
    # Preventive maintenance
    NOT_A_TIME_ZONE = "not_a_time_zone"  # not an IANA time zone name
    SCHEDULE_NEEDS = "schedule_needs"  # a schedule type without the rule part it is made of
    NEVER_OCCURS = "never_occurs"  # a schedule whose rule gives no occurrence


TEMPLATES: dict[ErrorCode, str] = {
    ErrorCode.INVALID: "{field} is not valid",
    ErrorCode.REQUIRED: "{field} cannot be null",
    ErrorCode.NOT_FOUND: "{field} {id} not found",
    ErrorCode.UNKNOWN_FIELD: "{field} is not a known field",
    ErrorCode.READ_ONLY: "{field} cannot be changed",
    ErrorCode.WRONG_TYPE: "{field} must be {expected}",
    ErrorCode.NOT_ONE_OF: "{field} must be one of {choices}",
    ErrorCode.TOO_LONG: "{field} is too long",
    ErrorCode.OUT_OF_RANGE: "{field} is out of range",
    ErrorCode.NEGATIVE: "{field} must not be negative",
    ErrorCode.NOT_BEFORE: "{field} must not be before {other_field}",
    ErrorCode.INVALID_EMAIL: "{field} is not a valid email address",
    ErrorCode.CONTAINS_NUL: "{field} must not contain NUL characters",
    ErrorCode.BODY_NOT_OBJECT: "request body must be a JSON object",
    ErrorCode.BODY_NOT_JSON: "request body is not valid JSON",
    ErrorCode.BODY_NOT_UTF8: "request body is not valid UTF-8",
    ErrorCode.BODY_CONTAINS_NUL: "request body must not contain NUL characters",
    ErrorCode.QUERY_CONTAINS_NUL: "query parameters must not contain NUL characters",
    ErrorCode.UNKNOWN_PARAMETER: "{field} is not a known parameter",
    ErrorCode.INVALID_INCLUDE: "{field}: {value} cannot be expanded",
    ErrorCode.INVALID_SORT: "{field} must name one of {choices}",
    ErrorCode.INVALID_SORT_DIRECTION: "{field} direction must be {choices}",
    ErrorCode.UNKNOWN_OPERATOR: "{field}: {operator} is not a known operator",
    ErrorCode.OPERATOR_NOT_ALLOWED: "{field} cannot be filtered with {operator}",
    ErrorCode.NOT_SORTABLE: "{field} cannot be sorted on",
    ErrorCode.NOT_SEARCHABLE: "{field}: this list cannot be searched",
    ErrorCode.INVALID_PATTERN: "{field}: use % for any text, _ for one character, \\ before a literal %, _ or \\",
    ErrorCode.TOO_MANY_VALUES: "{field} takes at most {maximum} values",
    ErrorCode.BETWEEN_BOUNDS: "{field} between needs a lower and an upper bound",
    ErrorCode.INVALID_CURSOR: "{field} is not a valid cursor for this list and sort",
    ErrorCode.RECORD_NOT_FOUND: "{record} not found",
    ErrorCode.DUPLICATE: "{field} already exists",
    ErrorCode.IN_USE: "{record} is still in use",
    ErrorCode.INVALID_TRANSITION: "{record} cannot change from {current} to {wanted}",
    ErrorCode.PERMISSION_DENIED: "not allowed",
    ErrorCode.UNAUTHENTICATED: "authentication required",
    ErrorCode.RATE_LIMITED: "too many requests",
    ErrorCode.TOO_LARGE: "{field} is too large",
    ErrorCode.UNAVAILABLE: "the server is busy: retry in {retry_after} s",
    ErrorCode.CONFLICTING_CHANGE: "the change conflicts with the current data; reload and try again",
    ErrorCode.NOT_A_MEMBER: "{record} is not a member of this {of}",
    ErrorCode.CREDENTIALS_REQUIRED: "credentials required",
    ErrorCode.INVALID_CREDENTIALS: "invalid or expired {credential}",
    ErrorCode.LOGIN_FAILED: "invalid email or password",
    ErrorCode.UNKNOWN_SESSION: "invalid session token",
    ErrorCode.INSUFFICIENT_SCOPE: "the credentials' scopes do not allow {scope}",
    ErrorCode.ROLE_MAY_NOT: "{role} users may not {action} {resource}s",
    ErrorCode.SITE_NOT_FOUND: "site {id} not found",
    ErrorCode.NOT_A_SITE_MEMBER: "{field}: not a member of site {id}",
    ErrorCode.NOT_A_SITE: "{field} may only name sites (top-level places)",
    ErrorCode.OWN_SCOPE_CHANGE: "users may not change their own {field}",
    ErrorCode.SCOPED_ADMIN_MAY_NOT_CHANGE: "location-based admins may not change {field}",
    ErrorCode.SCOPED_ADMIN_OUTSIDE_SITES: "location-based admins may only manage users within their locations",
    ErrorCode.SCOPED_ADMIN_OWN_SITES: "location-based admins may not change their own locations",
    ErrorCode.SCOPED_ADMIN_SITES_NOT_HELD: "location-based admins may only give access to their own locations",
    ErrorCode.SCOPED_ADMIN_CREATES_SCOPED: "location-based admins may only create location-based users",
    ErrorCode.SELF_DEACTIVATION: "users may not deactivate themselves",
    ErrorCode.PASSWORD_BLANK: "{field} must not be only whitespace",
    ErrorCode.PASSWORD_TOO_SHORT: "{field} must be at least {min_length} characters long",
    ErrorCode.PASSWORD_IS_EMAIL: "{field} must not be the email address or its local part",
    ErrorCode.PASSWORD_TOO_COMMON: "{field} is too common: choose one that is not on lists of common passwords",
    ErrorCode.LOGIN_THROTTLED: "too many failed logins: try again in {retry_after} seconds",
    ErrorCode.INVALID_CLIENT: "client authentication failed",
    ErrorCode.UNAUTHORIZED_CLIENT: "this client may not obtain tokens: its user is deactivated",
    ErrorCode.UNSUPPORTED_GRANT_TYPE: "{field} {value} is not supported: use client_credentials",
    ErrorCode.INVALID_SCOPE: "{field} {value} is unknown or not granted to this client",
    ErrorCode.REPEATED_PARAMETER: "{field} must be given once",
    ErrorCode.TWO_CLIENT_AUTHENTICATIONS: (
        "authenticate the client one way: HTTP Basic or client_id and client_secret in the body"
    ),
    ErrorCode.CLIENT_THROTTLED: "too many failed client authentications: try again in {retry_after} seconds",
    ErrorCode.LOCATION_REQUIRED_FOR_LOCATION_BASED: "{field} cannot be null for location-based users",
    ErrorCode.NOT_BETWEEN: "{field} must be between {min} and {max}",
    ErrorCode.PLACE_UNDER_ITSELF: "{field} cannot be the location itself or one of its sub-locations",
    ErrorCode.HAS_SUB_PLACES: "{record} has sub-locations",
    ErrorCode.TOP_LEVEL_CREATE_FOR_LOCATION_BASED: (
        "location-based users may only create sub-locations of their locations"
    ),
    ErrorCode.TOP_LEVEL_MOVE_FOR_LOCATION_BASED: "location-based users cannot make a location top-level",
    ErrorCode.CUSTOM_FIELD_ITEM_NOT_FOUND: "{field} custom field {id} not found",
    ErrorCode.NOT_A_CODE: "{field} must be 1 to {max} letters or digits",
    ErrorCode.NOT_IN_ROLE: "{field} is not a field of a {role}",
    ErrorCode.FILE_TOO_LARGE: "{field} is too large: the maximum size is {max_size}",
    # Assets, custom fields, downtime
    ErrorCode.ASSET_UNDER_ITSELF: "{field} cannot be the asset itself or one of its sub-assets",
    ErrorCode.NOT_A_DOWNTIME_STATUS: ("{field} must be available, not-available or the ID of an asset downtime status"),
    ErrorCode.BUILT_IN_DOWNTIME_STATUS: "{name} is a built-in downtime status",
    ErrorCode.OPTIONS_REQUIRED: "{field} cannot be null for a dropdown field",
    ErrorCode.PRECISION_REQUIRED: "{field} cannot be null for number and currency fields",
    ErrorCode.ONLY_FOR_DROPDOWNS: "{field} can only be set for dropdown fields",
    ErrorCode.ONLY_FOR_NUMBERS: "{field} can only be set for number and currency fields",
    ErrorCode.EMPTY_OPTIONS: "{field} must be non-empty strings, at least one",
    ErrorCode.TOO_MANY_OPTIONS: "{field} has too many or too long entries",
    ErrorCode.NOT_A_FIELD_OPTION: "{field} must be one of the field's options",
    ErrorCode.VALUE_OF_OTHER_TYPE: "{field} must be a {type} value for this {type} field",
    ErrorCode.CHANGED_ON_DEFINITION: "the {field} of a typed custom field is changed on its definition",
    ErrorCode.NOT_OF_TYPED_FIELDS: "a typed custom field has no {field}",
    ErrorCode.CATEGORY_ONLY_WHEN_NOT_AVAILABLE: "{field} is only allowed with status not-available",
    ErrorCode.NONE_GIVEN: "at least one {item} is required",
    ErrorCode.TOO_MANY_GIVEN: "at most {maximum} {items} per request",
    ErrorCode.NOT_ASSIGNABLE: "cannot assign a {member_type} to {record}",
    # Requests and work orders
    ErrorCode.NOT_A_CATEGORY: "{field} {value} is not one of the account's {kind} categories",
    ErrorCode.NOT_A_COST_CATEGORY: "{field} {value} is not a cost category",
    ErrorCode.NOT_AN_OPTION: "{field} must be one of its options",
    ErrorCode.NOT_AVAILABLE_YET: "{field} are not available yet: {reason}",
    ErrorCode.ROLE_MAY_NOT_CHANGE: "{role} users may not change {field}",
    ErrorCode.NOT_ASSIGNED: "{record} is not assigned to this {to}",
    ErrorCode.NOT_OPEN: "only open {records} can be {verb}; this {record} is {status}",
    # Webhooks
    ErrorCode.WEBHOOK_URL_REFUSED: "{field} is not allowed: {reason}",
    ErrorCode.UNKNOWN_EVENT: "{field}: {value} is not a webhook event",
    ErrorCode.DELIVERY_PENDING: "this {record} is still pending",
    # Meters
    ErrorCode.READING_BELOW_PREVIOUS: (
        "{field} {value} is lower than the previous reading {previous} of this cumulative meter:"
        " mark the reading as a reset to record it"
    ),
    ErrorCode.READING_ABOVE_NEXT: "{field} {value} is higher than the later reading {next} of this cumulative meter",
    # Parts and inventory
    ErrorCode.NOT_ENOUGH_STOCK: "{field}: not enough {part} ({id}) in stock: {available} on hand, {wanted} wanted",
    ErrorCode.PART_UNDER_ITSELF: "{field} cannot be the part itself or one of its sub-parts",
    ErrorCode.QUANTITIES_DO_NOT_MATCH: "{field} must have one quantity for each of the {count} {items}",
    # Purchase orders
    ErrorCode.RECEIPT_NOT_POSITIVE: "Invalid partial-fulfill values; should be valid positive numbers",
    ErrorCode.RECEIPT_WRONG_STATUS: "Can partially-fulfill only if status is approved or partially-fulfilled.",
    ErrorCode.RECEIPT_OVER_PENDING: "Invalid partial-fulfillment values - should not be more than pending quantities",
    ErrorCode.PARTS_ALREADY_RECEIVED: "{field} cannot change once parts were received",
    # Preventive maintenance
    ErrorCode.NOT_A_TIME_ZONE: "{field} {value} is not a time zone such as Asia/Kolkata",
    ErrorCode.SCHEDULE_NEEDS: "{field} is required for a {schedule_type} schedule",
    ErrorCode.NEVER_OCCURS: "{field}: the schedule has no occurrence",
}


def render(template: str, field: str | None, params: Mapping[str, object]) -> str:
    """``template`` filled with ``field`` and ``params``; a missing placeholder is left as its name."""
    values = {"field": field or "request", **params}
    return template.format_map(_Leave(values))


class _Leave(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return key


class PremisesError(Exception):
    """Base of every error the domain raises on purpose.

    ``PremisesError(ErrorCode.X, field=..., **params)``, or (older form) ``PremisesError("sentence")``.
    """

    default_code = ErrorCode.INVALID

    def __init__(self, reason: ErrorCode | str | None = None, /, *, field: str | None = None, **params: object) -> None:
        if isinstance(reason, ErrorCode):
            self.code: ErrorCode = reason
            self.sentence: str | None = None
        else:
            self.code = self.default_code
            self.sentence = reason
        self.field = field
        self.params: Mapping[str, object] = params
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """The domain's English message (domain field names)."""
        if self.sentence is not None:
            return self.sentence
        return render(TEMPLATES.get(self.code, "{field} is not valid"), self.field, self.params)


class NotFound(PremisesError):
    """The record does not exist, or the principal may not know it exists."""

    default_code = ErrorCode.RECORD_NOT_FOUND


class Unauthenticated(PremisesError):
    """No valid credentials were presented."""

    default_code = ErrorCode.UNAUTHENTICATED


class PermissionDenied(PremisesError):
    """The principal is known but its role does not allow the action."""

    default_code = ErrorCode.PERMISSION_DENIED


class Conflict(PremisesError):
    """The change clashes with the current state (duplicates, records still in use)."""

    default_code = ErrorCode.DUPLICATE


class InvalidState(PremisesError):
    """The record's state does not allow the transition."""

    default_code = ErrorCode.INVALID_TRANSITION


class DomainValidation(PremisesError):
    """Input is well-formed but not acceptable. ``field`` names the offending domain field when known."""


class RateLimited(PremisesError):
    """Too many requests."""

    default_code = ErrorCode.RATE_LIMITED


class TooLarge(PremisesError):
    """The input is larger than a configured limit (an upload, a request body)."""

    default_code = ErrorCode.TOO_LARGE


class Unavailable(PremisesError):
    """The request could not be served now (no database connection free, or the database refused one);
    nothing was written and the same request may simply be sent again after ``retry_after`` seconds."""

    default_code = ErrorCode.UNAVAILABLE
