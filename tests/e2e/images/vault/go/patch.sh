#!/usr/bin/env bash
# Vault v1.15.6 builds its sdk from its own tree (replace => ./sdk), which a module zip does not
# carry. The Go module proxy serves sdk v0.10.2, the sdk tag of the 1.15 line, which lacks what
# the 1.15.x patch releases added to it. This copies sdk v0.10.2 out of the module cache into
# ./_sdk, adds those few pieces, and points the build at the copy. Run by build.sh in a temp copy
# of this wrapper module.
set -euo pipefail

sdk_dir="$(go mod download -json github.com/hashicorp/vault/sdk | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
[ -d "$sdk_dir" ] || { echo "patch.sh: sdk module not found" >&2; exit 1; }
rm -rf _sdk
cp -R "$sdk_dir" _sdk
chmod -R u+w _sdk

# 1.15.5+ audit code deep-copies each LogInput before formatting it.
cat > _sdk/logical/audit_clone.go <<'GO'
package logical

import (
	"fmt"

	"github.com/mitchellh/copystructure"
)

// Clone returns a deep copy of the LogInput: Auth and Response through copystructure, Request
// through Request.Clone (which keeps the connection shared). OuterErr is an interface and is
// shared, not copied.
func (l *LogInput) Clone() (*LogInput, error) {
	out := &LogInput{
		Type:                l.Type,
		OuterErr:            l.OuterErr,
		NonHMACReqDataKeys:  append([]string(nil), l.NonHMACReqDataKeys...),
		NonHMACRespDataKeys: append([]string(nil), l.NonHMACRespDataKeys...),
	}
	if l.Auth != nil {
		c, err := copystructure.Copy(l.Auth)
		if err != nil {
			return nil, fmt.Errorf("unable to clone auth: %w", err)
		}
		out.Auth = c.(*Auth)
	}
	if l.Request != nil {
		r, err := l.Request.Clone()
		if err != nil {
			return nil, err
		}
		// Like the sdk of Vault 1.15.6: keep the mount details copystructure cannot reach, and
		// share the connection (its certificates do not survive a copy intact).
		r.mountClass = l.Request.MountClass()
		r.mountRunningVersion = l.Request.MountRunningVersion()
		r.mountRunningSha256 = l.Request.MountRunningSha256()
		r.mountIsExternalPlugin = l.Request.MountIsExternalPlugin()
		r.Connection = l.Request.Connection
		out.Request = r
	}
	if l.Response != nil {
		c, err := copystructure.Copy(l.Response)
		if err != nil {
			return nil, fmt.Errorf("unable to clone response: %w", err)
		}
		out.Response = c.(*Response)
	}
	return out, nil
}
GO

# 1.15.x passes the raw request body on in the context (raft snapshot restore, forwarding).
cat > _sdk/logical/request_original_body.go <<'GO'
package logical

import (
	"context"
	"io"
)

type ctxKeyOriginalBody struct{}

// ContextOriginalBodyValue returns the request body CreateContextOriginalBody stored in ctx.
func ContextOriginalBodyValue(ctx context.Context) (io.ReadCloser, bool) {
	body, ok := ctx.Value(ctxKeyOriginalBody{}).(io.ReadCloser)
	return body, ok
}

// CreateContextOriginalBody returns a child of parent that carries body.
func CreateContextOriginalBody(parent context.Context, body io.ReadCloser) context.Context {
	return context.WithValue(parent, ctxKeyOriginalBody{}, body)
}
GO

# 1.15.x listeners can have a chroot namespace, which requests carry.
awk '{ print } /^\tForwardedFrom string/ && !done { print ""; print "\t// Name of the chroot namespace of the listener the request came in on."; print "\tChrootNamespace string `json:\"chroot_namespace,omitempty\"`"; done = 1 }' \
    _sdk/logical/request.go > _sdk/logical/request.go.new
mv _sdk/logical/request.go.new _sdk/logical/request.go
grep -q 'ChrootNamespace string' _sdk/logical/request.go || { echo "patch.sh: could not add Request.ChrootNamespace" >&2; exit 1; }

go mod edit -replace github.com/hashicorp/vault/sdk=./_sdk
