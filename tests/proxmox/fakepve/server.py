"""The proxmox API contract tier's PVE: fakepve (installed from PyPI, AGPL-3.0, run as its own process,
never vendored) with the node, storages and API token lakeforge's test stack uses, plus a small control
API on another loopback port through which run.sh injects faults and reads the fake's state.

    python server.py <state-dir> <api-host> <api-port> <control-port>

Writes <state-dir>/ca.pem (the certificate to pin) and <state-dir>/ready once both servers listen.
"""

import asyncio
import json
import os
import sys

from aiohttp import web
from fakepve import FakePve
from fakepve.certs import make_cert

NODE = 'pve1'
TOKEN_ID = 'lakeforge@pve!deploy'
TOKEN_SECRET = 'fakepve-contract-token-0a1b2c3d'
# The privileges the README tells users to grant lakeforge's token; the tier runs with exactly these.
PRIVILEGES = ('VM.Allocate', 'VM.Audit', 'VM.Config.CPU', 'VM.Config.Memory', 'VM.Config.Network', 'VM.Config.Options',
              'VM.Config.Disk', 'VM.PowerMgmt', 'Datastore.AllocateSpace', 'Datastore.AllocateTemplate', 'Datastore.Audit',
              'Sys.AccessNetwork', 'SDN.Use')


def make_pve(host, port):
    pve = FakePve(host=host, port=port)
    pve.nodes = {NODE: {'online': True}}
    pve.apitokens[TOKEN_ID] = TOKEN_SECRET
    for priv in PRIVILEGES:
        pve.grant(TOKEN_ID, '/', priv)
    # Data volumes: a directory storage, whose container volumes are subvolumes (no mkfs needed).
    pve.storages['data'] = {'type': 'dir', 'active': 1, 'content': 'rootdir,images', 'files': set(), 'path': '/srv/data'}
    return pve


def state_of(pve):
    """What run.sh asserts on: containers (config, status, lock), storage volumes and the requests seen."""
    cts = [{'vmid': ct.vmid, 'status': ct.status, 'lock': ct.lock, 'config': ct.config} for ct in pve.cts]
    volumes = {name: sorted(store.get('volumes', {})) for name, store in pve.storages.items()}
    requests = [[method, path, body.decode('utf-8', 'replace') if isinstance(body, bytes) else str(body)]
                for method, path, body in pve.requests]
    return {'cts': cts, 'volumes': volumes, 'requests': requests}


def control_app(pve):
    async def state(_request):
        return web.json_response(state_of(pve), dumps=lambda v: json.dumps(v, default=str))

    async def lock(request):
        body = await request.json()
        pve.ct(int(body['vmid'])).lock = body.get('lock')
        return web.json_response({})

    async def fail(request):
        body = await request.json()
        pve.fail(body['method'], body['suffix'], status=body.get('status'), message=body.get('message'),
                 error=body.get('error'), times=body.get('times'))
        return web.json_response({})

    async def revoke(request):
        body = await request.json()
        pve.acl[TOKEN_ID] = [(path, privs - {body['privilege']}) for path, privs in pve.acl[TOKEN_ID]]
        return web.json_response({})

    async def reset(_request):
        pve.failures.clear()
        pve.acl[TOKEN_ID] = [('/', set(PRIVILEGES))]
        return web.json_response({})

    app = web.Application()
    app.router.add_get('/state', state)
    app.router.add_post('/lock', lock)
    app.router.add_post('/fail', fail)
    app.router.add_post('/revoke', revoke)
    app.router.add_post('/reset', reset)
    return app


async def main(state_dir, host, port, control_port):
    pve = make_pve(host, port)
    certfile, keyfile, _ = make_cert(state_dir, hosts=(host,))
    os.replace(certfile, os.path.join(state_dir, 'ca.pem'))
    await pve.start(os.path.join(state_dir, 'ca.pem'), keyfile)
    runner = web.AppRunner(control_app(pve))
    await runner.setup()
    await web.TCPSite(runner, '127.0.0.1', control_port).start()
    with open(os.path.join(state_dir, 'ready'), 'w') as out:
        out.write(json.dumps({'endpoint': pve.url, 'tokenId': TOKEN_ID, 'tokenSecret': TOKEN_SECRET, 'node': NODE}))
    await asyncio.Event().wait()


if __name__ == '__main__':
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
