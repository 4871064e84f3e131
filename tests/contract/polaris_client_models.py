"""Holds recorded Apache Polaris exchanges to the models of PyPI's apache-polaris, whose
apache_polaris.sdk packages are the clients generated from Polaris's own OpenAPI documents: the
management service (spec/polaris-management-service.yml) and the catalog API with its OAuth2 token
endpoint. For machines where Polaris cannot run.

Usage: python polaris_client_models.py <exchanges.json>   (a JSON list of {method, path, body?, status, response?};
a form body, the token request's, as an object). Prints one line per problem and exits 1 when there is any.
Needs: pip install apache-polaris==1.7.0

Strict: the generated models keep only the fields they know (from_dict drops the rest), so every field
of a request or answer must come back from the model's to_dict(), at every depth; a misspelled or
unknown field fails. Answers come from the fake, which claims the release's contract, so they are held
to the same rule, and to the statuses each operation documents.
"""

import importlib
import inspect
import re
from urllib.parse import urlparse

import pydantic
from apache_polaris.sdk.catalog import api as catalog_api
from apache_polaris.sdk.management import api as management_api
from apache_polaris.sdk.management.configuration import Configuration

from sdk_operations import body_model, main, operations

# The management SDK's own base path (/api/management/v1); the catalog document leaves its base to
# the server, which serves it under /api/catalog.
OPERATIONS = {**operations(management_api, urlparse(Configuration().host).path), **operations(catalog_api, "/api/catalog")}


def dropped(sent, kept, where):
    """The fields of `sent` that the model's round trip `kept` no longer has, at every depth."""
    if isinstance(sent, dict) and isinstance(kept, dict):
        problems = []
        for k, v in sent.items():
            problems += dropped(v, kept[k], f"{where}.{k}") if k in kept else [f'{where}: "{k}" is not a field of the model']
        return problems
    if isinstance(sent, list) and isinstance(kept, list) and len(sent) == len(kept):
        return [p for i, (s, k) in enumerate(zip(sent, kept)) for p in dropped(s, k, f"{where}[{i}]")]
    return []


def check_model(model, value, where):
    if not isinstance(value, dict):
        return [f"{where}: expected an object for {model.__name__}"]
    try:
        parsed = model.from_dict(value)
    except (pydantic.ValidationError, ValueError, KeyError) as err:
        return [f"{where}: {model.__name__}: {err!r}".replace("\n", " ")]
    return dropped(value, parsed.to_dict(), f"{where} ({model.__name__})")


def answers(fn):
    """The statuses an operation documents -> the name of its answer's model (or "None")."""
    m = re.search(r"_response_types_map: Dict\[str, Optional\[str\]\] = \{(.*?)\}", inspect.getsource(fn), re.S)
    return dict(re.findall(r"'(\w+)': \"?(\w+)", m.group(1))) if m else {}


def form_fields(fn):
    """The form parameters of an operation (the names its serializer puts in the form), if it takes a form."""
    cls = getattr(inspect.getmodule(fn), fn.__qualname__.split(".")[0])
    return re.findall(r"_form_params\.append\(\('(\w+)'", inspect.getsource(getattr(cls, f"_{fn.__name__}_serialize")))


def check_form(fn, form, where):
    """A form body (the token request): each field a form parameter of the operation, each value of its type."""
    fields = form_fields(fn)
    params = inspect.signature(fn).parameters
    problems = [f'{where}: form field "{k}" is not a parameter of {fn.__name__}' for k in form if k not in fields]
    for k, v in form.items():
        if k in fields:
            try:
                pydantic.TypeAdapter(params[k].annotation).validate_python(v)
            except pydantic.ValidationError as err:
                problems.append(f"{where}: form field {k}: {err}".replace("\n", " "))
    return problems


def check(x, fn, where):
    problems = []
    takes = body_model(fn)
    if x.get("body") is not None:
        if takes is not None:
            problems += check_model(takes, x["body"], f"{where} request")
        elif form_fields(fn):
            problems += check_form(fn, x["body"], f"{where} request")
        else:
            problems.append(f"{where}: sends a body the operation does not take")
    documented = answers(fn)
    model_name = documented.get(str(x["status"]), documented.get(f"{x['status'] // 100}XX"))
    if model_name is None:
        problems.append(f"{where}: status {x['status']} is not documented ({', '.join(documented)})")
    elif model_name != "None" and x.get("response") is not None:
        models = importlib.import_module(fn.__module__.rsplit(".api.", 1)[0] + ".models")
        problems += check_model(getattr(models, model_name), x["response"], f"{where} response {x['status']}")
    return problems


if __name__ == "__main__":
    main(OPERATIONS, "apache-polaris", check)
