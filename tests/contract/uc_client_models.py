"""Holds recorded Unity Catalog exchanges to the models of PyPI's unitycatalog-client, the project's
own SDK generated from its OpenAPI document (api/all.yaml). For machines without the document.

Usage: python uc_client_models.py <exchanges.json>   (a JSON list of {method, path, body?, status, response?})
Prints one line per problem and exits 1 when there is any. Needs: pip install unitycatalog-client==0.5.0
"""

import inspect
import json
import re
import sys
import typing

import pydantic
from unitycatalog.client import api

# Every operation of the SDK: (HTTP method, path template) -> the API class's public method.
OPERATIONS = {}
for _, cls in inspect.getmembers(api, inspect.isclass):
    for name, fn in inspect.getmembers(cls, inspect.isfunction):
        m = re.search(r"method='(\w+)',\s*resource_path='([^']+)'", inspect.getsource(fn))
        if name.startswith("_") and name.endswith("_serialize") and m:
            OPERATIONS[(m.group(1), m.group(2))] = getattr(cls, name[1 : -len("_serialize")])


def model_in(annotation):
    """The pydantic model an annotation names (through Optional[...]), or None."""
    for candidate in (annotation, *typing.get_args(annotation)):
        if inspect.isclass(candidate) and issubclass(candidate, pydantic.BaseModel):
            return candidate
    return None


def operation(method, path):
    for (m, template), fn in OPERATIONS.items():
        if m == method and re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", template), path):
            return fn
    return None


def check_model(model, value, where, strict):
    if not isinstance(value, dict):
        return [f"{where}: expected an object for {model.__name__}"]
    known = {f.alias or n for n, f in model.model_fields.items()}
    problems = [f'{where}: "{k}" is not a field of {model.__name__}' for k in value if strict and k not in known]
    try:
        model.from_dict(value)
    except (pydantic.ValidationError, ValueError) as err:
        problems.append(f"{where}: {model.__name__}: {err}".replace("\n", " "))
    return problems


def check(x):
    where = f"{x['method']} {x['path']}"
    fn = operation(x["method"], x["path"])
    if fn is None:
        return [f"{where}: no such operation in unitycatalog-client"]
    sig = inspect.signature(fn)
    body_models = [model_in(p.annotation) for n, p in sig.parameters.items() if n != "self" and not n.startswith("_")]
    body_model = next((m for m in body_models if m is not None), None)
    problems = []
    if "body" in x and x["body"] is not None:
        problems += [f"{where}: sends a body the operation does not take"] if body_model is None else check_model(body_model, x["body"], f"{where} request", True)
    response_model = model_in(sig.return_annotation)
    if 200 <= x["status"] < 300 and response_model is not None and x.get("response") is not None:
        problems += check_model(response_model, x["response"], f"{where} response", False)
    return problems


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as f:
        found = [p for x in json.load(f) for p in check(x)]
    for p in found:
        print(p)
    print(f"{len(OPERATIONS)} operations known; {len(found)} problems")
    sys.exit(1 if found else 0)
