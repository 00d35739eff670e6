using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Writ.Sdk;

namespace Writ.Cli.Demo;

// Steps 1 and 2: the owner and the agents are registered; the research agent attests and starts its task.
internal sealed partial class DemoScenario
{
    private async Task RegisterAsync(DemoStep step)
    {
        await api.PostAsync("owners", new JsonObject { ["name"] = Owner, ["displayName"] = "Alice (writ demo)" }, cancellationToken);
        narrator.Detail($"owner {Owner}: the accountable human for everything below");
        researchKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        research = await RegisterAgentAsync(ResearchName, PublicJwk(researchKey, ResearchKeyId));
        helper = await RegisterAgentAsync(HelperName, null);
        var version = await ApplyPoliciesAsync();
        narrator.Detail($"policy set version {version} active: {Owner}'s agents may start file and database tasks, call file tools, delegate within the owner");
        step.Summary = $"owner {Owner}; agents {research.SpiffeId} and {helper.SpiffeId}; policy version {version}";
        step.Facts["research"] = new JsonObject { ["name"] = research.Name, ["spiffeId"] = research.SpiffeId };
        step.Facts["helper"] = new JsonObject { ["name"] = helper.Name, ["spiffeId"] = helper.SpiffeId };
        step.Facts["policyVersion"] = version;
    }

    private async Task<AgentRecord> RegisterAgentAsync(string name, JsonObject? publicKey)
    {
        var body = new JsonObject { ["name"] = name, ["owner"] = Owner };
        if (publicKey is not null)
        {
            body["publicKeys"] = new JsonArray(publicKey);
        }

        var agent = await api.PostAsync("agents", body, cancellationToken);
        var spiffeId = agent?["spiffeId"]?.GetValue<string>() ?? throw new DemoException($"Writ registered {name} but answered no spiffeId");
        narrator.Detail($"agent {name} registered as {spiffeId}" + (publicKey is null ? string.Empty : $", with the public half of its P-256 key {publicKey["kid"]}"));
        return new AgentRecord(name, spiffeId);
    }

    // Only the public half goes to Writ; the private key stays in this process, as it would inside the agent.
    private static JsonObject PublicJwk(ECDsa key, string keyId)
    {
        var parameters = key.ExportParameters(includePrivateParameters: false);
        return new JsonObject
        {
            ["kty"] = "EC",
            ["crv"] = "P-256",
            ["x"] = Base64Url.EncodeToString(parameters.Q.X),
            ["y"] = Base64Url.EncodeToString(parameters.Q.Y),
            ["kid"] = keyId,
        };
    }

    // The demo's policies join the active set as one more file; the set is validated and activated as version N+1.
    private async Task<long> ApplyPoliciesAsync()
    {
        var files = new JsonArray();
        var sets = await api.GetAsync("policy-sets", cancellationToken);
        if (sets?["active"] is JsonValue activeVersion)
        {
            var current = await api.GetAsync("policy-sets/" + activeVersion.ToJsonString(), cancellationToken);
            foreach (var file in (current?["files"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (file["name"]?.GetValue<string>() != DemoPolicies.FileName)
                {
                    files.Add(file.DeepClone());
                }
            }
        }

        files.Add(new JsonObject { ["name"] = DemoPolicies.FileName, ["text"] = DemoPolicies.Text(Owner, DatabaseToolset) });
        var applied = await api.PostAsync("policy-sets", new JsonObject { ["files"] = files, ["activate"] = true, ["description"] = "writ demo: policies for " + Owner }, cancellationToken);
        return applied?["version"]?.GetValue<long>() ?? throw new DemoException("Writ applied the policy set but answered no version");
    }

    // A one-time join token: how a new agent without a key proves itself the first time.
    private async Task<WritClient> AttestWithJoinTokenAsync(AgentRecord agent)
    {
        var join = await api.PostAsync("join-tokens", new JsonObject { ["agent"] = agent.Name }, cancellationToken);
        var token = join?["token"]?.GetValue<string>() ?? throw new DemoException("Writ created a join token but answered none");
        return await AttestAsync(AgentAttestation.JoinToken(token));
    }

    private async Task<WritClient> AttestAsync(AgentAttestation attestation)
    {
        var client = new WritClient(new WritClientOptions { WritUrl = environment.Server.Url, Attestation = attestation });

        // The first token request attests; Writ.Sdk caches the identity token and renews it before it expires.
        await client.GetIdentityTokenAsync(cancellationToken);
        return client;
    }

    private async Task StartTaskAsync(DemoStep step)
    {
        var agent = research ?? throw new DemoException("not run: the agents were not registered (step 1)");
        var key = researchKey ?? throw new DemoException("not run: the research agent has no key (step 1)");
        researchClient = await AttestAsync(AgentAttestation.RegisteredKey(agent.SpiffeId, ResearchKeyId, key));
        narrator.Allowed($"{agent.Name} attested with an RFC 7523 assertion signed by its registered key (no secret held) and holds an identity token, a JWT-SVID for {agent.SpiffeId}");

        var trustDomain = new Uri(agent.SpiffeId).Host;
        var gateway = await environment.StartGatewayAsync(trustDomain, filesystemServer, cancellationToken);
        narrator.Detail($"writ gateway listens on {gateway}: /mcp/acme-web and /mcp/acme-billing, each launching @modelcontextprotocol/server-filesystem over stdio");

        var intent = new TaskIntent(
            "summarize the open issues of acme/web",
            [
                ToolGrant.Of("files.list_directory", DemoFixtures.WebTarget),
                ToolGrant.Of("files.read_text_file", DemoFixtures.WebTarget),
                ToolGrant.Of(DatabaseToolset + ".query", "connection:" + ConnectionName),
            ],
            TaskSensitivity.Public,
            TimeSpan.FromMinutes(10));

        // DPoP-bound (the SDK's default): every call, the database credential of step 6 included, carries a proof of this process's key.
        researchTask = await researchClient.StartTaskAsync(intent, gateway.ToString().TrimEnd('/'), cancellationToken: cancellationToken);
        narrator.Allowed($"task {researchTask.Id} started: \"{intent.Purpose}\"");
        narrator.Detail($"declared: files.list_directory and files.read_text_file on {DemoFixtures.WebTarget} (read-only, one target), {DatabaseToolset}.query on connection:{ConnectionName}; sensitivity public; at most 10 minutes");
        narrator.Detail($"the task token is for the gateway only (aud {researchTask.Audience}) and expires at {researchTask.ExpiresAt:HH:mm:ss} UTC");
        step.Summary = $"task {researchTask.Id}: read-only file tools on {DemoFixtures.WebTarget}, sensitivity public";
        step.Facts["taskId"] = researchTask.Id;
        step.Facts["gateway"] = gateway.ToString().TrimEnd('/');
        step.Facts["granted"] = researchTask.GrantedAuthorizationDetails.ValueKind == System.Text.Json.JsonValueKind.Undefined
            ? null
            : JsonNode.Parse(researchTask.GrantedAuthorizationDetails.GetRawText());
        document["researchTaskId"] = researchTask.Id;
    }
}
