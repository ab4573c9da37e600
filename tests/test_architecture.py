"""Architecture rules: domain packages contain no HTTP code (ADR 2); the read path never hops threads (ADR 6)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "premises"
HTTP_LAYERS = ("api", "cli")
FORBIDDEN = ("fastapi", "starlette", "premises.api", "premises.cli")
ROUTE_DECORATORS = {"get", "post", "put", "patch", "delete", "head", "options", "api_route", "route"}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_domain_packages_do_not_import_http_layers() -> None:
    offenders = []
    for path in SRC.rglob("*.py"):
        relative = path.relative_to(SRC)
        if relative.parts[0] in HTTP_LAYERS or relative.name == "__main__.py":
            continue
        for name in _imports(path):
            if name.startswith(FORBIDDEN):
                offenders.append(f"{relative}: {name}")
    assert offenders == []


def test_no_endpoint_or_dependency_hops_to_a_thread() -> None:
    """FastAPI runs a plain ``def`` endpoint or dependency in the thread pool; on the read path that
    hop costs more than the query (ADR 6, docs/benchmarks.md). Writes hop once, in Runtime.write."""
    offenders = []
    for path in (SRC / "api").rglob("*.py"):
        tree = ast.parse(path.read_text())
        sync = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and any(
                isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) and d.func.attr in ROUTE_DECORATORS
                for d in node.decorator_list
            ):
                offenders.append(f"{path.name}: endpoint {node.name}")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Depends":
                target = node.args[0] if node.args else None
                if isinstance(target, ast.Name) and target.id in sync:
                    offenders.append(f"{path.name}: dependency {target.id}")
    assert offenders == []


def test_generated_upkeep_routes_and_their_dependencies_are_async() -> None:
    """The same rule for the routes the generators register with ``add_api_route`` (assignments,
    custom fields, contacts), which the source scan above cannot see: checked on the route objects."""
    import inspect

    from fastapi.dependencies.models import Dependant
    from fastapi.routing import APIRoute

    from premises.api.upkeep.app import ROUTERS

    def calls(dependant: Dependant) -> list[object]:
        return [dependant.call, *(call for sub in dependant.dependencies for call in calls(sub))]

    offenders = []
    for router in ROUTERS:
        for route in router.routes:
            assert isinstance(route, APIRoute)
            for call in calls(route.dependant):
                # a security scheme such as APIKeyHeader is an instance with an async __call__
                is_async = inspect.iscoroutinefunction(call) or inspect.iscoroutinefunction(type(call).__call__)
                if call is not None and not is_async:
                    offenders.append(f"{route.path}: {getattr(call, '__name__', call)}")
    assert offenders == []


def test_upkeep_routers_can_be_ordered_by_traffic() -> None:
    """``api/upkeep/app.py`` orders routers busiest first; that is only safe while no route of one
    router would be matched by a route of another (``/assets/{asset_id}`` catching ``/assets/x``)."""
    from fastapi.routing import APIRoute

    from premises.api.upkeep.app import ROUTERS

    shadowed = []
    for index, router in enumerate(ROUTERS):
        for route in router.routes:
            assert isinstance(route, APIRoute)
            for other in ROUTERS[:index] + ROUTERS[index + 1 :]:
                for earlier in other.routes:
                    assert isinstance(earlier, APIRoute)
                    if earlier.path_regex.match(route.path) and earlier.methods & route.methods:
                        shadowed.append(f"{earlier.path} catches {route.path}")
    assert shadowed == []


DOMAIN_ERRORS = {"DomainValidation", "NotFound", "Conflict", "InvalidState", "PermissionDenied", "Unauthenticated"}


def _sentence_error_lines(path: Path) -> list[int]:
    """Lines where a domain error is raised with a sentence (a str first argument) instead of an ErrorCode."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in DOMAIN_ERRORS):
            continue
        first = node.args[0] if node.args else None
        coded = isinstance(first, ast.Attribute) and getattr(first.value, "id", "") == "ErrorCode"
        if first is not None and not coded:
            lines.append(node.lineno)
    return lines


def test_domain_errors_carry_codes_and_domain_field_names() -> None:
    """``DomainValidation(ErrorCode.X, field="domain_name")``: each dialect words the message itself."""
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        if relative.split("/")[0] in HTTP_LAYERS or relative == "errors.py":
            continue
        lines = _sentence_error_lines(path)
        if lines:
            offenders.append(f"{relative}:{lines}")
    assert not offenders, f"raise domain errors with an ErrorCode: {offenders}"


# Dialects (issue 6): each dialect is a package under api/ (today upkeep); everything else under api/ is
# shared (the kit, observability, the root app, limits, headers). No module outside a dialect's package imports it,
# so /v1 and onOffice never lean on UpKeep code. The one exception is the list of mounted dialects.
API = SRC / "api"
DIALECT_LIST = "api/dialects_installed.py"
SHARED_API_PACKAGES = frozenset({"kit", "observability"})  # not dialects: shared by all


def _dialect_packages() -> list[str]:
    return sorted(p.name for p in API.iterdir() if (p / "__init__.py").exists() and p.name not in SHARED_API_PACKAGES)


def _imported(path: Path) -> set[str]:
    """Modules ``path`` imports, with ``from a import b`` also counted as ``a.b`` (b may be a module)."""
    names = _imports(path)
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_module_outside_a_dialect_imports_it() -> None:
    dialects = _dialect_packages()
    assert {"upkeep", "v1"} <= set(dialects)  # so /v1 never imports api/upkeep, nor UpKeep /v1
    offenders = []
    for path in SRC.rglob("*.py"):
        relative = path.relative_to(SRC).as_posix()
        if relative == DIALECT_LIST:
            continue
        for dialect in dialects:
            if relative.startswith(f"api/{dialect}/"):
                continue
            package = f"premises.api.{dialect}"
            offenders += [f"{relative}: {n}" for n in _imported(path) if n == package or n.startswith(package + ".")]
    assert offenders == [], f"only {DIALECT_LIST} may import a dialect's package"


def test_the_api_kit_imports_no_dialect() -> None:
    dialects = tuple(f"premises.api.{d}" for d in _dialect_packages())
    offenders = [
        f"{path.relative_to(SRC)}: {name}"
        for path in (API / "kit").rglob("*.py")
        for name in _imported(path)
        if name.startswith(dialects)
    ]
    assert offenders == []
