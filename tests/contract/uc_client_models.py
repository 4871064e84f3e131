"""Holds recorded Unity Catalog exchanges to the models of PyPI's unitycatalog-client, the project's
own SDK generated from its OpenAPI document (api/all.yaml). For machines without the document.

Usage: python uc_client_models.py <exchanges.json>   (a JSON list of {method, path, body?, status, response?})
Prints one line per problem and exits 1 when there is any. Needs: pip install unitycatalog-client==0.5.0
"""

import inspect

import pydantic
from unitycatalog.client import api

from sdk_operations import body_model, main, model_in, operations

OPERATIONS = operations(api)


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


def check(x, fn, where):
    takes = body_model(fn)
    problems = []
    if "body" in x and x["body"] is not None:
        problems += [f"{where}: sends a body the operation does not take"] if takes is None else check_model(takes, x["body"], f"{where} request", True)
    response_model = model_in(inspect.signature(fn).return_annotation)
    if 200 <= x["status"] < 300 and response_model is not None and x.get("response") is not None:
        problems += check_model(response_model, x["response"], f"{where} response", False)
    return problems


if __name__ == "__main__":
    main(OPERATIONS, "unitycatalog-client", check)
