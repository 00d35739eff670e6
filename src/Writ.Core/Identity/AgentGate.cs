using Writ.Core.Domain;

namespace Writ.Core.Identity;

/// <summary>Only an existing, active agent that allows the method gets an identity token.</summary>
internal static class AgentGate
{
    public static OAuthError? Refuse(Agent? agent, AttestationMethod method)
    {
        if (agent is null)
        {
            return OAuthError.Grant("the agent is not registered");
        }

        if (agent.Status != AgentStatus.Active)
        {
            return OAuthError.Grant($"agent '{agent.Name}' is {WireName.Of(agent.Status)} and gets no identity token");
        }

        return agent.AttestationMethods.Contains(method)
            ? null
            : OAuthError.Grant($"agent '{agent.Name}' does not allow {WireName.Of(method)} attestation");
    }
}
