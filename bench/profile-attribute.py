#!/usr/bin/env python3
# Attributes the on-CPU samples of a dotnet-trace Speedscope file (profile dotnet-sampled-thread-time) to the parts of
# a request; see bench/profile.md. Each sample goes to the first rule (in order) that matches a frame of its stack.
# usage: python3 bench/profile-attribute.py trace.speedscope.json [-u] [-g]   (-u lists the leaf frames left unattributed;
# -g adds the gateway's rows: Sessions' header transform, YARP's forwarder, the outgoing HTTP/1.1 request)
import json,sys,collections,re
d=json.load(open(sys.argv[1]))
names=[f['name'] for f in d['shared']['frames']]
stacks=collections.Counter()
for p in d['profiles']:
    st=[];last=None
    for e in p['events']:
        t=e['at']
        if st and last is not None and t>last: stacks[tuple(st)]+=t-last
        last=t
        if e['type']=='O': st.append(e['frame'])
        elif st and st[-1]==e['frame']: st.pop()
        elif e['frame'] in st: st=st[:len(st)-1-st[::-1].index(e['frame'])]
WAIT=re.compile(r'WaitOneNoCheck|WaitHandle\.WaitOne|WaitNative|Thread\.Sleep|FileSystem\.Watcher|WaitForSocketEvents|Monitor\.Wait|ManualResetEventSlim\.Wait|SemaphoreSlim\.Wait|Task\.SpinThenBlockingWait|InternalWaitCore|Interop\+Sys\.Read|LowLevelMonitor\.Wait|Thread\.Join')
rules=[
 ('idle: thread-pool workers spinning or waiting for work', r'LowLevelSpinWaiter|LowLevelLifoSemaphore'),
 ('waiting for a GC to finish (PollGC; GC threads are not sampled)', r'PollGC'),
 ('metrics: prometheus-net listener on ASP.NET Core/Kestrel/Orleans meters + ApiMetrics', r'Prometheus\.|System\.Diagnostics\.Metrics|ApiMetrics|AuthorizationMetrics|HostingMetrics|KestrelMetrics|RoutingMetrics|Metrics\.'),
 ('tracing: Activity / DiagnosticListener in hosting', r'System\.Diagnostics\.Activity|ActivityCreator|DiagnosticListener|HostingApplicationDiagnostics'),
 ('principal for the bearer scheme: SessionAccess.ToPrincipal', r'SessionAccess\.ToPrincipal'),
 ('verified-token cache hit: identity clone (ClaimsIdentity.Clone + Claims)', r'CaseSensitiveClaimsIdentity\.Clone|Verified\.ToResult|ClaimsIdentity\.Clone'),
 ('verified-token cache hit: SHA-256 key (UTF-8 + hash + base64)', r'VerifiedTokenCache\.KeyOf|SHA256'),
 ('verified-token cache hit: MemoryCache lookup + lifetime/kid check', r'Caching\.Memory|VerifiedTokenCache|Verified\.IsStillValid'),
 ('claims read from the JsonWebToken (AccessTokenClaims.TryRead)', r'AccessTokenClaims|JsonWebToken'),
 ('key-ring lease check (SigningKeyStore)', r'SigningKeyStore'),
 ('grain call, Api side: GetGrain<IUserGrain>(key), its interface type read by reflection', r'GrainFactory\.GetGrain|GetGrainInterfaceType'),
 ('grain call, Api side: proxy, message, send, response', r'Proxy_Sessions|GrainReference|InsideRuntimeClient|OutsideRuntimeClient|CallbackData|Orleans\.Runtime\.Message|MessageCenter|ResponseCompletionSource'),
 ('grain side: UserGrain.CheckAccess turn + Orleans scheduler/dispatch', r'UserGrain|Orleans\.'),
 *([
 ('gateway: Sessions\' identity-header transform (SessionsGateway, IdentityHeaders)', r'SessionsGateway|IdentityHeaders'),
 ('gateway: outgoing HTTP/1.1 to the upstream (SocketsHttpHandler, connection pool, headers)', r'System\.Net\.Http\.'),
 ('gateway: YARP forwarder (request/response copy, transforms, X-Forwarded-*)', r'Yarp\.'),
 ] if '-g' in sys.argv else []),
 ('endpoint + JSON writing (GetMe, RequestDelegateFactory, System.Text.Json)', r'System\.Text\.Json|MeEndpoints|RequestDelegateFactory|EndpointMiddleware|lambda_method'),
 ('authorization middleware + policy evaluation', r'Authorization'),
 ('authentication handler (JwtBearer, events, validator glue, DI resolve)', r'JwtBearer|AuthenticationHandler|AuthenticationMiddleware|AuthenticationService|SessionBearerEvents|AccessTokenValidator'),
 ('other middleware (exception handler, status pages, routing, forwarded headers)', r'StatusCodePages|ExceptionHandler|Routing|ForwardedHeaders|Middleware'),
 ('Kestrel: HTTP/1.1 parsing, pipes, sockets (send/receive syscalls)', r'Kestrel|System\.Net\.Sockets|Pipelines|SocketAsyncEngine'),
]
rules=[(a,re.compile(b)) for a,b in rules]
EPOLL=re.compile(r'SocketAsyncEngine\.EventLoop')
# A thread whose innermost managed frame is the pool's wait for work is idle, whatever native code it is in.
IDLE=re.compile(r'WorkerThread\.WorkerThreadStart|WaitOneNoCheck|LowLevelSpinWaiter|LowLevelLifoSemaphore')
res=collections.Counter(); waits=0; unk=collections.Counter()
for s,w in stacks.items():
    fs=[names[i] for i in s]
    if not fs or fs[-1] not in ('CPU_TIME','UNMANAGED_CODE_TIME'): continue
    managed=[f for f in fs if f not in ('CPU_TIME','UNMANAGED_CODE_TIME','?!?')]
    if fs[-1]=='UNMANAGED_CODE_TIME' and any(WAIT.search(f) for f in fs[-4:]): waits+=w; continue
    # The socket engine's thread in native code with no managed frame below its loop: epoll_wait, unresolved.
    if fs[-1]=='UNMANAGED_CODE_TIME' and managed and EPOLL.search(managed[-1]): waits+=w; continue
    if managed and IDLE.search(managed[-1]): res[rules[0][0]]+=w; continue
    for lab,r in rules:
        if any(r.search(f) for f in fs): res[lab]+=w; break
    else:
        res['other (runtime, timers, thread pool dispatch, unresolved)']+=w; unk[fs[-2][:120] if len(fs)>1 else '?']+=w
T=sum(res.values())
busy=T-res['idle: thread-pool workers spinning or waiting for work']-res['waiting for a GC to finish (PollGC; GC threads are not sampled)']
print(f"samples ms: on-CPU {T:.0f}, blocked {waits:.0f}")
print("| part | share of on-CPU samples | share of the request work (without the first two rows) |")
for i,(lab,_) in enumerate(rules+[('other (runtime, timers, thread pool dispatch, unresolved)',None)]):
    work=f"{100*res[lab]/busy:.1f} %" if i>=2 else "—"
    print(f"| {lab} | {100*res[lab]/T:.1f} % | {work} |")
if '-u' in sys.argv:
    for k,w in unk.most_common(15): print(f"   {100*w/T:.1f}% {k}")
