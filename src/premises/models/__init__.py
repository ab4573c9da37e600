"""All ORM models. Importing this package registers every table on ``Base.metadata`` (Alembic uses it)."""

from premises.models.account import Account, AccountCounter
from premises.models.asset import Asset, AssetDowntime, AssetDowntimeStatus, AssetFile, AssetLink
from premises.models.base import GLOBAL_TABLES, Base
from premises.models.case import Case, CaseActivity, CaseComment, CaseLink, CaseType
from premises.models.category import Category
from premises.models.checklist import FormTemplate, WorkOrderTimeEntry
from premises.models.contact import Contact
from premises.models.custom_field import CustomFieldDefinition, CustomFieldValue
from premises.models.event import Event
from premises.models.file import StoredFile
from premises.models.identity import AccessToken, ApiClient, AuthSession, Login, SiteMembership, ThrottleCounter, User
from premises.models.job import Job
from premises.models.meter import Meter, MeterNotification, MeterReading, MeterTriggerHit
from premises.models.occupancy import Occupancy
from premises.models.part import AssetPart, Part, PartFile, PartInventoryMove, PartTeam, WorkOrderPart
from premises.models.place import Place, PlaceLink
from premises.models.preventive import PmTrigger, PmWorkOrder
from premises.models.purchase_order import PurchaseOrder, PurchaseOrderPart, PurchaseOrderUpdate
from premises.models.request import WorkRequest
from premises.models.team import Team, TeamMember
from premises.models.webhook import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from premises.models.work_order import (
    WorkOrder,
    WorkOrderCost,
    WorkOrderStatus,
    WorkOrderUpdate,
    WorkOrderUser,
)

__all__ = [
    "GLOBAL_TABLES",
    "AccessToken",
    "Account",
    "AccountCounter",
    "ApiClient",
    "Asset",
    "AssetDowntime",
    "AssetDowntimeStatus",
    "AssetFile",
    "AssetLink",
    "AssetPart",
    "AuthSession",
    "Base",
    "Case",
    "CaseActivity",
    "CaseComment",
    "CaseLink",
    "CaseType",
    "Category",
    "Contact",
    "CustomFieldDefinition",
    "CustomFieldValue",
    "Event",
    "FormTemplate",
    "Job",
    "Login",
    "Meter",
    "MeterNotification",
    "MeterReading",
    "MeterTriggerHit",
    "Occupancy",
    "Part",
    "PartFile",
    "PartInventoryMove",
    "PartTeam",
    "Place",
    "PlaceLink",
    "PmTrigger",
    "PmWorkOrder",
    "PurchaseOrder",
    "PurchaseOrderPart",
    "PurchaseOrderUpdate",
    "SiteMembership",
    "StoredFile",
    "Team",
    "TeamMember",
    "ThrottleCounter",
    "User",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WorkOrder",
    "WorkOrderCost",
    "WorkOrderPart",
    "WorkOrderStatus",
    "WorkOrderTimeEntry",
    "WorkOrderUpdate",
    "WorkOrderUser",
    "WorkRequest",
]
