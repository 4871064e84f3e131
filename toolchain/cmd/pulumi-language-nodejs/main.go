// Command pulumi-language-nodejs is lakeforge's own minimal Pulumi language host for Node.js.
//
// Why it exists: the upstream host lives in its own untagged Go module
// (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3) and the Go module
// proxy reachable from our build machines refuses that module at every commit (HTTP 403),
// so it cannot be built from module sources. This host implements only what lakeforge
// needs, on top of the public github.com/pulumi/pulumi/sdk/v3 packages:
//
//   - Run: start `@pulumi/pulumi/cmd/run` (resolved from the program directory) with node;
//   - GetRequiredPackages: report resource plugins of the packages in node_modules;
//   - RunPlugin: start Node.js policy packs (`@pulumi/pulumi/cmd/run-policy-pack`) and
//     Node.js plugins (`@pulumi/pulumi/cmd/run-plugin`);
//   - GetPluginInfo, About.
//
// Programs must be plain JavaScript (lakeforge compiles TypeScript with `npm run build`);
// the `typescript`, `tsconfig` and `nodeargs` runtime options are passed through like the
// upstream host does. Everything else (install, codegen, packing, debugging) is left
// unimplemented and answers codes.Unimplemented.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/google/shlex"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"

	sdk "github.com/pulumi/pulumi/sdk/v3"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// Exit code @pulumi/pulumi uses after it has already shown the user an actionable message.
const exitAfterUserMessage = 32

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engine string
}

func main() {
	showVersion := flag.Bool("version", false, "print the version and exit")
	flag.String("tracing", "", "ignored (accepted for compatibility with the engine)")
	runtime := flag.String("runtime", "nodejs", "only nodejs is supported")
	flag.Parse()
	if *showVersion {
		fmt.Println(version.Version)
		return
	}
	if *runtime != "nodejs" {
		cmdutil.Exit(fmt.Errorf("unsupported runtime %q: this host only runs nodejs", *runtime))
	}
	var engine string
	if flag.NArg() > 0 {
		engine = flag.Arg(0)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	cancel := make(chan bool)
	go func() { <-ctx.Done(); stop(); close(cancel) }()
	if engine != "" {
		// Exit when the engine goes away, like every plugin.
		if err := rpcutil.Healthcheck(ctx, engine, 5*time.Minute, stop); err != nil {
			cmdutil.Exit(fmt.Errorf("could not start health check: %w", err))
		}
	}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancel,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, &host{engine: engine})
			return nil
		},
	})
	if err != nil {
		cmdutil.Exit(fmt.Errorf("could not start language host: %w", err))
	}
	fmt.Printf("%d\n", handle.Port) // the engine reads our port from stdout
	if err := <-handle.Done; err != nil {
		cmdutil.Exit(fmt.Errorf("language host stopped: %w", err))
	}
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

func (h *host) About(ctx context.Context, _ *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, errors.New("node is not on PATH")
	}
	out, err := exec.CommandContext(ctx, node, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("node --version: %w", err)
	}
	return &pulumirpc.AboutResponse{
		Executable: node,
		Version:    strings.TrimPrefix(strings.TrimSpace(string(out)), "v"),
	}, nil
}

// GetRequiredPackages lists every package under node_modules whose package.json declares
// `"pulumi": {"resource": true}`, so the engine can check their plugins before running.
func (h *host) GetRequiredPackages(_ context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	seen := map[string]bool{}
	var pkgs []*pulumirpc.PackageDependency
	root := filepath.Join(req.GetInfo().GetProgramDirectory(), "node_modules")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() || !isPackageManifest(path) {
			return nil
		}
		var pj struct {
			Name    string `json:"name"`
			Version string `json:"version"`
			Pulumi  struct {
				Resource bool   `json:"resource"`
				Name     string `json:"name"`
				Version  string `json:"version"`
				Server   string `json:"server"`
			} `json:"pulumi"`
		}
		b, err := os.ReadFile(path)
		if err != nil || json.Unmarshal(b, &pj) != nil || !pj.Pulumi.Resource {
			return nil // not a package we care about (or not JSON: not ours to judge)
		}
		name, ver := pj.Pulumi.Name, pj.Pulumi.Version
		if name == "" {
			name = strings.TrimPrefix(pj.Name, "@pulumi/")
		}
		if ver == "" {
			ver = pj.Version
		}
		ver = "v" + strings.TrimPrefix(ver, "v")
		if !seen[name+"@"+ver] {
			seen[name+"@"+ver] = true
			pkgs = append(pkgs, &pulumirpc.PackageDependency{
				Kind: string(apitype.ResourcePlugin), Name: name, Version: ver, Server: pj.Pulumi.Server,
			})
		}
		return nil
	})
	return &pulumirpc.GetRequiredPackagesResponse{Packages: pkgs}, err
}

// isPackageManifest is true for node_modules/<pkg>/package.json and node_modules/@scope/<pkg>/package.json.
func isPackageManifest(path string) bool {
	if filepath.Base(path) != "package.json" {
		return false
	}
	pkgDir := filepath.Dir(path)
	parent := filepath.Dir(pkgDir)
	if strings.HasPrefix(filepath.Base(parent), "@") {
		parent = filepath.Dir(parent)
	}
	return filepath.Base(parent) == "node_modules"
}

type nodeOptions struct {
	typescript bool
	tsconfig   string
	nodeargs   []string
}

func parseOptions(info *pulumirpc.ProgramInfo) (nodeOptions, error) {
	opts := nodeOptions{typescript: true} // the upstream default
	m := info.GetOptions().AsMap()
	if v, ok := m["typescript"].(bool); ok {
		opts.typescript = v
	}
	if v, ok := m["tsconfig"].(string); ok {
		opts.tsconfig = v
	}
	if v, ok := m["nodeargs"].(string); ok {
		args, err := shlex.Split(v)
		if err != nil {
			return opts, fmt.Errorf("runtime option nodeargs: %w", err)
		}
		opts.nodeargs = args
	}
	return opts, nil
}

func (o nodeOptions) env() []string {
	var env []string
	if o.typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if o.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+o.tsconfig)
	}
	return env
}

// resolve finds a module the way node would from dir, so the program's own @pulumi/pulumi is used.
func resolve(ctx context.Context, node, dir, module string) (string, error) {
	cmd := exec.CommandContext(ctx, node, "-e", "console.log(require.resolve(process.argv[1]))", module)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("cannot resolve %s from %s (are the npm dependencies installed?)", module, dir)
	}
	return strings.TrimSpace(string(out)), nil
}

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	fail := func(err error) (*pulumirpc.RunResponse, error) {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	info := req.GetInfo()
	node, err := exec.LookPath("node")
	if err != nil {
		return fail(errors.New("could not find node on the PATH"))
	}
	opts, err := parseOptions(info)
	if err != nil {
		return fail(err)
	}
	runPath, err := resolve(ctx, node, info.GetProgramDirectory(), "@pulumi/pulumi/cmd/run")
	if err != nil {
		return fail(err)
	}

	// The program talks to the engine's resource monitor directly (no synchronous-invoke pipes).
	args := append([]string{}, opts.nodeargs...)
	args = append(args, runPath)
	flagArg := func(k, v string) {
		if v != "" {
			args = append(args, "--"+k, v)
		}
	}
	flagArg("monitor", req.GetMonitorAddress())
	flagArg("engine", h.engine)
	flagArg("organization", req.GetOrganization())
	flagArg("project", req.GetProject())
	flagArg("root-directory", info.GetRootDirectory())
	flagArg("stack", req.GetStack())
	flagArg("pwd", info.GetProgramDirectory())
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	flagArg("parallel", strconv.Itoa(int(req.GetParallel())))
	args = append(args, info.GetEntryPoint())
	args = append(args, req.GetArgs()...)

	// @pulumi/pulumi still reads config keys in the old "<namespace>:config:<name>" form.
	cfg := map[string]string{}
	for k, v := range req.GetConfig() {
		key, err := config.ParseKey(k)
		if err != nil {
			return fail(err)
		}
		cfg[key.Namespace()+":config:"+key.Name()] = v
	}
	cfgJSON, _ := json.Marshal(cfg)
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretJSON, _ := json.Marshal(secretKeys)

	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Env = append(os.Environ(), "PULUMI_CONFIG="+string(cfgJSON), "PULUMI_CONFIG_SECRET_KEYS="+string(secretJSON))
	cmd.Env = append(cmd.Env, opts.env()...)
	// Wrapped so exec copies through a pipe: node may switch our stdio to non-blocking mode.
	cmd.Stdout = struct{ *os.File }{os.Stdout}
	cmd.Stderr = struct{ *os.File }{os.Stderr}
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			if exit.ExitCode() == exitAfterUserMessage {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return fail(fmt.Errorf("Program exited with non-zero exit code: %d", exit.ExitCode()))
		}
		return fail(fmt.Errorf("could not run node: %w", err))
	}
	return &pulumirpc.RunResponse{}, nil
}

// RunPlugin starts Node.js policy packs (kind "analyzer") and other Node.js plugins.
func (h *host) RunPlugin(req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer) error {
	ctx := server.Context()
	info := req.GetInfo()
	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()
	node, err := exec.LookPath("node")
	if err != nil {
		return errors.New("could not find node on the PATH")
	}
	opts, err := parseOptions(info)
	if err != nil {
		return err
	}
	isPolicy := req.GetKind() == string(apitype.AnalyzerPlugin)
	module := "@pulumi/pulumi/cmd/run-plugin"
	if isPolicy {
		module = "@pulumi/pulumi/cmd/run-policy-pack"
	}
	runPath, err := resolve(ctx, node, info.GetProgramDirectory(), module)
	if err != nil {
		return err
	}

	args := append([]string{runPath}, opts.nodeargs...)
	env := append(req.GetEnv(), opts.env()...)
	var proxy *sdk.PolicyProxy
	if isPolicy {
		// Policy packs take the engine address first and their directory last. The engine
		// sends stack configuration over gRPC; the policy pack expects it in its environment,
		// so the SDK's proxy receives it first and then forwards everything to the pack.
		args = append(append(args, req.GetArgs()...), info.GetProgramDirectory())
		proxy, stdout, err = sdk.NewPolicyProxy(ctx, stdout)
		if err != nil {
			return fmt.Errorf("could not start policy pack proxy: %w", err)
		}
		stack, err := proxy.AwaitConfiguration(ctx)
		if err != nil {
			return fmt.Errorf("could not get stack configuration: %w", err)
		}
		if stack != nil {
			add := func(k, v string) {
				if v != "" {
					env = append(env, k+"="+v)
				}
			}
			add("PULUMI_NODEJS_ORGANIZATION", stack.GetOrganization())
			add("PULUMI_NODEJS_PROJECT", stack.GetProject())
			add("PULUMI_NODEJS_STACK", stack.GetStack())
			add("PULUMI_NODEJS_DRY_RUN", strconv.FormatBool(stack.GetDryRun()))
			if stack.GetConfig() != nil {
				b, err := json.Marshal(stack.GetConfig())
				if err != nil {
					return err
				}
				add("PULUMI_CONFIG", string(b))
			}
		}
	} else {
		args = append(append(args, info.GetProgramDirectory()), req.GetArgs()...)
	}

	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = req.GetPwd()
	if isPolicy {
		cmd.Dir = info.GetProgramDirectory() // policy packs have always run from their own directory
	}
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("could not run node: %w", err)
	}
	if proxy != nil {
		err = proxy.Attach(ctx, cmd) // waits for the pack to exit
	} else {
		err = cmd.Wait()
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return fmt.Errorf("Program exited with non-zero exit code: %d", exit.ExitCode())
	} else if err != nil {
		return err
	}
	return closer.Close()
}
