namespace Writ.Cli.Demo;

// One issue of the fixture tracker: the same rows become markdown files (for the MCP server) and a table (for PostgreSQL).
internal sealed record FixtureIssue(int Number, string State, string Title, string Body);
