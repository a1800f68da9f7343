"""A small standard-library client for the workbook JSON-RPC server.

>>> from workbook_client import WorkbookClient
>>> with WorkbookClient.connect() as wb:          # the default socket
...     wb.progress_get("solidarity")["answered"]
"""

from . import methods
from .aio import AsyncSubscription, AsyncWorkbookClient
from .errors import DATABASE_REPLACED, QUEUE_FULL, ConnectionClosed, SubscriptionDropped, WorkbookError
from .framing import FrameDecoder, Framing, FramingError, encode
from .helpers import default_socket_path
from .methods import Request
from .protocol import Notification, ProtocolError
from .sync import Subscription, WorkbookClient

__version__ = "0.1.0"

__all__ = [
    "DATABASE_REPLACED",
    "QUEUE_FULL",
    "AsyncSubscription",
    "AsyncWorkbookClient",
    "ConnectionClosed",
    "FrameDecoder",
    "Framing",
    "FramingError",
    "Notification",
    "ProtocolError",
    "Request",
    "Subscription",
    "SubscriptionDropped",
    "WorkbookClient",
    "WorkbookError",
    "default_socket_path",
    "encode",
    "methods",
]
