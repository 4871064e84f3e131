"""What the contract tier's model checks share: the operations of a Python SDK that OpenAPI Generator
made from a project's own document, found in its API classes' source, and the command line around a
check. Used by uc_client_models.py and polaris_client_models.py (run as scripts from this folder).
"""

import inspect
import json
import re
import sys
import typing

import pydantic


def operations(api_module, prefix=""):
    """(HTTP method, prefix + path template) -> the API class's public method, for every operation of the SDK."""
    found = {}
    for _, cls in inspect.getmembers(api_module, inspect.isclass):
        for name, fn in inspect.getmembers(cls, inspect.isfunction):
            m = re.search(r"method='(\w+)',\s*resource_path='([^']+)'", inspect.getsource(fn))
            if name.startswith("_") and name.endswith("_serialize") and m:
                found[(m.group(1), prefix + m.group(2))] = getattr(cls, name[1 : -len("_serialize")])
    return found


def operation(known, method, path):
    """The operation of `known` whose method and path template match the exchange, or None."""
    for (m, template), fn in known.items():
        if m == method and re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", template), path):
            return fn
    return None


def model_in(annotation):
    """The pydantic model an annotation names (through Optional[...]), or None."""
    for candidate in (annotation, *typing.get_args(annotation)):
        if inspect.isclass(candidate) and issubclass(candidate, pydantic.BaseModel):
            return candidate
    return None


def body_model(fn):
    """The model of the request body an operation takes, or None."""
    params = inspect.signature(fn).parameters
    return next((m for n, p in params.items() if n != "self" and not n.startswith("_") for m in [model_in(p.annotation)] if m), None)


def main(known, sdk, check):
    """Checks each exchange in the JSON file argv[1] (a list of {method, path, body?, status, response?}): one that
    matches no operation of `known` is a problem; `check(x, fn, where)` finds the others' problems."""

    def problems(x):
        where = f"{x['method']} {x['path']}"
        fn = operation(known, x["method"], x["path"])
        return [f"{where}: no such operation in {sdk}"] if fn is None else check(x, fn, where)

    with open(sys.argv[1], encoding="utf-8") as f:
        found = [p for x in json.load(f) for p in problems(x)]
    for p in found:
        print(p)
    print(f"{len(known)} operations known; {len(found)} problems")
    sys.exit(1 if found else 0)
