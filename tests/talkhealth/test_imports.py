"""Dependencies run one way, programmes -> forums -> accounts -> talkhealth, and no modules import
each other in a circle. Read from the source (every import statement, at module level or inside a
function), so an import that only runs in a worker or on one page is caught too."""

import ast
import os
from pathlib import Path

from django.conf import settings

LAYERS = ["talkhealth", "accounts", "forums", "programmes"]  # each may import only those before it

# Imports that only a phase-2 move can remove: {(importer, imported): why}. Delete a line with its move.
KNOWN_EXCEPTIONS: dict[tuple[str, str], str] = {}


def _modules() -> dict[str, Path]:
    root = Path(settings.BASE_DIR)
    found = {}
    for app in LAYERS:
        for path in (root / app).rglob("*.py"):
            parts = list(path.relative_to(root).with_suffix("").parts)
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = _modules()


def _targets(module: str, node, is_package: bool) -> list[str]:
    """The project modules an import statement loads: `from . import x` names module x, `from .m import
    X` names module m."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            package = module.split(".") if is_package else module.split(".")[:-1]
            package = package[: len(package) - (node.level - 1)]
            base = ".".join(package + ([node.module] if node.module else []))
        names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names]
    found = []
    for name in names:
        while name not in MODULES and "." in name:
            name = name.rsplit(".", 1)[0]
        if name in MODULES and name != module:
            found.append(name)
    return found


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                graph.setdefault(module, set()).update(_targets(module, node, path.name == "__init__.py"))
    return graph


def _layer(module: str) -> int:
    return LAYERS.index(module.split(".")[0])


def test_no_module_imports_a_layer_above_its_own():
    upward = {
        (module, target)
        for module, targets in _graph().items()
        for target in targets
        if _layer(target) > _layer(module)
    }
    assert upward - set(KNOWN_EXCEPTIONS) == set(), "a lower layer imports an upper one"
    assert set(KNOWN_EXCEPTIONS) - upward == set(), "these exceptions are gone: delete them from KNOWN_EXCEPTIONS"


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan's algorithm, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles = []
    for start in sorted(MODULES):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    circles.append(sorted(group))
    return circles


def test_no_modules_import_each_other_in_a_circle():
    """Tasks import their service inside the function and services reach tasks through the outbox by
    name, so even deferred imports make no circle."""
    assert _circles(_graph()) == []


def test_the_check_sees_circles_and_deferred_imports():
    assert _circles({"accounts.services": {"accounts.tasks"}, "accounts.tasks": {"accounts.services"}}) == [
        ["accounts.services", "accounts.tasks"]
    ]
    deferred = ast.parse("def f():\n    from ..tasks import data_export_build\n").body[0].body[0]
    assert _targets("accounts.notifications.queue", deferred, False) == ["accounts.tasks"]


def test_web_and_worker_processes_start_without_the_analysis_libraries():
    """numpy, scipy, scikit-learn and python-docx cost a web or Celery process over 100 MB and a
    second at start-up (issue 18, goal 6): they load when an analysis or a Word pack runs, not before.
    Unicode's confusables table (7 MB) loads for the first display name that is not plain ASCII."""
    import subprocess
    import sys

    heavy = ("numpy", "scipy", "sklearn", "docx", "confusable_homoglyphs")
    code = (
        "import sys, django; django.setup(); import talkhealth.urls, talkhealth.celery; "
        "from talkhealth.celery import app; app.loader.import_default_modules(); "
        f"print(','.join(sorted({{m.split('.')[0] for m in sys.modules}} & set({heavy!r}))))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "talkhealth.settings.base"}
    env.pop("DATABASE_URL", None)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120, check=True)
    assert out.stdout.strip() == "", f"loaded at start-up: {out.stdout.strip()}"


def test_the_wsgi_module_loads_every_view_and_holds_no_connection_for_workers_to_share():
    """gunicorn --preload (the Procfile) imports talkhealth.wsgi once in the master and forks the
    workers from it: the views, the template engine, the URL reverse lookups, the Celery tasks and
    (when configured) the Redis client are loaded there, so workers share them, and no socket is
    left open, since forked workers would write to one database or Redis connection at once."""
    import subprocess
    import sys

    code = (
        "import os, sys, talkhealth.wsgi\n"
        "links = []\n"
        "for fd in os.listdir('/proc/self/fd'):\n"
        "    try:\n"
        "        links.append(os.readlink(f'/proc/self/fd/{fd}'))\n"
        "    except FileNotFoundError:\n"  # the directory listing's own descriptor, closed since
        "        pass\n"
        "print(sum(link.startswith('socket:') for link in links), 'forums.views' in sys.modules, "
        "'programmes.themes.views' in sys.modules, 'jinja2' in sys.modules, 'redis' in sys.modules)\n"
        "from talkhealth.celery import app\n"
        "print('accounts.tasks' in sys.modules, 'accounts.notifications_deliver' in app.tasks)\n"
        "from django.urls import get_resolver\n"
        "root = get_resolver()\n"
        "print(root._populated, all(included._populated for _, included in root.namespace_dict.values()))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "talkhealth.settings.base"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120, check=True)
    # With Redis configured its client library is loaded too (the cache and the broker use it).
    redis_loaded = str(bool(os.environ.get("REDIS_URL")))
    assert out.stdout.split() == ["0", "True", "True", "True", redis_loaded, "True", "True", "True", "True"], (
        out.stdout + out.stderr
    )


def test_a_web_process_finds_its_tasks_without_running_the_system_checks():
    """The outbox loads the tasks modules the first time it hands work to Celery, without firing
    Celery's import_modules signal, on which its Django fix-up would run every system check: a
    Celery worker's start-up work, which cost a web worker's first write 50 ms and 0.8 MB."""
    import subprocess
    import sys

    code = (
        "import sys, django; django.setup()\n"
        "import django.core.checks\n"
        "calls = []\n"
        "django.core.checks.run_checks = lambda *args, **kwargs: calls.append(1) or []\n"
        "from talkhealth.celery import app\n"
        "print('accounts.tasks' in sys.modules)\n"
        "from talkhealth.outbox import task_named\n"
        "print(task_named('accounts.notifications_deliver').name, 'accounts.tasks' in sys.modules, len(calls))\n"
        "app.loader.import_default_modules()\n"  # as a worker starts: the checks run there
        "print(len(calls))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "talkhealth.settings.base"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120, check=True)
    assert out.stdout.split() == ["False", "accounts.notifications_deliver", "True", "0", "1"], out.stdout + out.stderr
