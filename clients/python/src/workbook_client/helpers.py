"""The typed helper methods both clients share, and the defaults they use to find the server."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Generic, Optional, ParamSpec, TypeVar, overload

from . import methods
from .methods import Request

if TYPE_CHECKING:
    from .aio import AsyncWorkbookClient
    from .sync import WorkbookClient

P = ParamSpec("P")
T = TypeVar("T")


class _Helper(Generic[P, T]):
    """Turns a request builder into a client method: `client.x(...)` is `client.request(methods.x(...))`.

    On a :class:`WorkbookClient` the method returns `T`; on an :class:`AsyncWorkbookClient` it returns
    an awaitable of `T`. The signature (and its type hints) is the builder's, so it is written once.
    """

    def __init__(self, build: Callable[P, Request[T]]) -> None:
        self._build = build
        self.__doc__ = build.__doc__

    @overload
    def __get__(self, client: None, owner: type) -> "_Helper[P, T]": ...

    @overload
    def __get__(self, client: "WorkbookClient", owner: type) -> Callable[P, T]: ...

    @overload
    def __get__(self, client: "AsyncWorkbookClient", owner: type) -> Callable[P, Awaitable[T]]: ...

    def __get__(self, client: Any, owner: type) -> Any:
        if client is None:
            return self
        build = self._build

        def helper(*args: Any, **kwargs: Any) -> Any:
            return client.request(build(*args, **kwargs))

        helper.__name__ = build.__name__
        helper.__doc__ = build.__doc__
        return helper


class Helpers:
    """One typed method per protocol method (see :mod:`workbook_client.methods` for the signatures)."""

    server_info = _Helper(methods.server_info)
    server_ping = _Helper(methods.server_ping)
    initialize = _Helper(methods.initialize)
    rpc_discover = _Helper(methods.rpc_discover)
    workbooks_list = _Helper(methods.workbooks_list)
    workbooks_get = _Helper(methods.workbooks_get)
    prompts_get = _Helper(methods.prompts_get)
    prompts_next = _Helper(methods.prompts_next)
    answers_save = _Helper(methods.answers_save)
    answers_save_many = _Helper(methods.answers_save_many)
    answers_get = _Helper(methods.answers_get)
    answers_list = _Helper(methods.answers_list)
    answers_history = _Helper(methods.answers_history)
    answers_skip = _Helper(methods.answers_skip)
    answers_restore = _Helper(methods.answers_restore)
    answers_delete = _Helper(methods.answers_delete)
    passes_list = _Helper(methods.passes_list)
    passes_start = _Helper(methods.passes_start)
    passes_get = _Helper(methods.passes_get)
    passes_close = _Helper(methods.passes_close)
    passes_delete = _Helper(methods.passes_delete)
    data_erase = _Helper(methods.data_erase)
    progress_get = _Helper(methods.progress_get)
    progress_list = _Helper(methods.progress_list)
    search = _Helper(methods.search)
    export = _Helper(methods.export)
    import_document = _Helper(methods.import_document)
    changes_list = _Helper(methods.changes_list)
    unsubscribe = _Helper(methods.unsubscribe)


def default_socket_path(environ: Optional[dict[str, str]] = None) -> str:
    """`$WORKBOOK_SOCKET`, else `$XDG_RUNTIME_DIR/workbook/workbook.sock`, else `/tmp/workbook-UID/...`."""
    env = os.environ if environ is None else environ
    if env.get("WORKBOOK_SOCKET"):
        return env["WORKBOOK_SOCKET"]
    if env.get("XDG_RUNTIME_DIR"):
        return os.path.join(env["XDG_RUNTIME_DIR"], "workbook", "workbook.sock")
    return f"/tmp/workbook-{os.getuid()}/workbook.sock"


def serve_stdio_command(binary: Optional[str], database: Optional[str], extra: tuple[str, ...] = ()) -> list[str]:
    """The command line of `workbook serve --stdio` (binary: argument, `$WORKBOOK_BIN`, else `workbook`)."""
    command = [binary or os.environ.get("WORKBOOK_BIN") or "workbook", "serve", "--stdio"]
    if database is not None:
        command += ["--database", database]
    return command + list(extra)
