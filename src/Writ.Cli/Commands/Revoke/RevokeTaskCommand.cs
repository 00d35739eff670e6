namespace Writ.Cli.Commands.Revoke;

// `writ revoke task <id>`: ends the task, every task delegated from it and all their leases.
internal static class RevokeTaskCommand
{
    public static WritCommand Create(AdminCommandRunner runner) => RevokeVerb.Create(
        runner,
        "task",
        "Revoke a task: it and every task delegated from it end (state revoked), their tokens are rejected and their leases end.",
        "The task id (tid)",
        static id => id.Trim(),
        "writ revoke task 7b1c0e2a9f4d4e31",
        "writ revoke task 7b1c0e2a9f4d4e31 --cause \"runaway delegation\"");
}
