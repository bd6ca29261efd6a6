"""The shape of the tree: imports flow down the package's layers, the
package holds only what runs or a documented command imports, the tools
import nothing by file path, and the analysis toolkit stays small."""
import ast
import os
from pathlib import Path
from typing import Dict, Set

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / 'cmd_plugin'
# bottom to top: a module may import its own layer and the ones below
LAYERS = ['compat', 'skeleton', 'datasets', 'converters', 'models',
          'evaluation', 'launch', 'engine', 'analysis']


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix('').parts)
    if parts[-1] == '__init__':
        parts = parts[:-1]
    return '.'.join(parts)


def _imports(path: Path) -> Set[str]:
    """Absolute names of the cmd_plugin modules ``path`` imports."""
    name = _module_name(path)
    package = name if path.name == '__init__.py' else name.rpartition('.')[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names
                         if a.name.split('.')[0] == 'cmd_plugin')
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split('.')[:len(package.split('.')) -
                                          node.level + 1]
                target = '.'.join(base + ([node.module] if node.module
                                          else []))
            else:
                target = node.module or ''
            if target.split('.')[0] != 'cmd_plugin':
                continue
            found.add(target)
            # `from pkg import module` imports the module too
            found.update(f'{target}.{a.name}' for a in node.names)
    return found


def _package_modules() -> Dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob('*.py')}


def test_no_module_imports_from_a_layer_above_it():
    upward = []
    for name, path in _package_modules().items():
        parts = name.split('.')
        if len(parts) < 2 or parts[1] not in LAYERS:
            continue
        own = LAYERS.index(parts[1])
        for target in _imports(path):
            layer = target.split('.')[1] if '.' in target else None
            # `import cmd_plugin` (registration, inside a tool's function)
            if layer in LAYERS and LAYERS.index(layer) > own:
                upward.append(f'{name} imports {target}')
    assert not upward, upward


def test_every_layer_is_named():
    packages = {p.name for p in PACKAGE.iterdir()
                if (p / '__init__.py').exists()}
    assert packages == set(LAYERS)


def test_every_module_is_used_by_a_run_or_a_documented_command():
    modules = _package_modules()
    # what a run imports (custom_imports=['cmd_plugin']) and what the
    # commands under tools/ import
    roots = {'cmd_plugin'}
    for script in (ROOT / 'tools').rglob('*.py'):
        roots |= _imports(script)
    for script in (ROOT / 'tools').rglob('*.sh'):
        text = script.read_text()
        roots |= {name for name in modules if f'from {name} import' in text}
    seen, todo = set(), list(roots)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        if name in modules:
            todo += list(_imports(modules[name]))
            # a package's __init__ runs for any module in it
            parent = name.rpartition('.')[0]
            if parent:
                todo.append(parent)
    unused = sorted(set(modules) - seen)
    assert not unused, (
        f'{unused}: imported neither by `import cmd_plugin` nor by a '
        'command under tools/; move them to tools/ or tests/')


def test_tools_import_nothing_by_file_path():
    offenders = []
    for script in (ROOT / 'tools').rglob('*.py'):
        text = script.read_text()
        for needle in ('sys.path', 'spec_from_file_location',
                       'importlib.util', 'runpy.run_path'):
            if needle in text:
                offenders.append(f'{script.relative_to(ROOT)}: {needle}')
    assert not offenders, offenders


def test_the_analysis_toolkit_has_at_most_six_commands():
    folder = ROOT / 'tools' / 'analysis_tools'
    commands = sorted(p.name for p in folder.iterdir() if p.is_file() and
                      (p.suffix == '.sh' or "__name__ == '__main__'"
                       in p.read_text()))
    assert len(commands) <= 6, commands
    # the shared reader is a module, not a seventh command
    assert 'runs.py' not in commands


def test_the_run_reader_imports_only_the_standard_library():
    import sys
    tree = ast.parse((ROOT / 'tools/analysis_tools/runs.py').read_text())
    names = {a.name.split('.')[0] for n in ast.walk(tree)
             if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module.split('.')[0] for n in ast.walk(tree)
              if isinstance(n, ast.ImportFrom) and n.module}
    assert names <= set(sys.stdlib_module_names), names
    assert os.path.exists(ROOT / 'tools/analysis_tools/runs.py')
