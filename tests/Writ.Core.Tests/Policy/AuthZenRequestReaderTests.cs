using System.Text.Json;
using Writ.Core.Policy.AuthZen;

namespace Writ.Core.Tests.Policy;

public sealed class AuthZenRequestReaderTests
{
    private const string Alice = "{\"type\":\"user\",\"id\":\"alice\"}";

    private static AuthZenBatch? Batch(string json, out string? error)
    {
        using var doc = JsonDocument.Parse(json, AuthZenRequestReader.DocumentOptions);
        return AuthZenRequestReader.ReadEvaluations(doc.RootElement.Clone(), out error);
    }

    [Fact]
    public void Defaults_AreReplacedByEachEvaluationsOwnMembers()
    {
        var batch = Batch("{\"subject\":" + Alice + ",\"action\":{\"name\":\"read\"},\"context\":{\"a\":1},\"evaluations\":[" +
            "{\"resource\":{\"type\":\"doc\",\"id\":\"1\"}}," +
            "{\"action\":{\"name\":\"edit\"},\"resource\":{\"type\":\"doc\",\"id\":\"2\"},\"context\":{\"b\":2}}]}", out var error);

        Assert.Null(error);
        Assert.Equal(["read", "edit"], batch!.Evaluations!.Select(e => e.Action.Name));
        Assert.Equal(["alice", "alice"], batch.Evaluations!.Select(e => e.Subject.Id));
        Assert.True(batch.Evaluations![0].Context!.Value.TryGetProperty("a", out _));
        Assert.False(batch.Evaluations![1].Context!.Value.TryGetProperty("a", out _));
        Assert.Equal(EvaluationsSemantic.ExecuteAll, batch.Semantic);
    }

    [Fact]
    public void MissingMemberAfterDefaults_NamesTheEvaluation()
    {
        Assert.Null(Batch("{\"subject\":" + Alice + ",\"evaluations\":[{\"action\":{\"name\":\"read\"},\"resource\":{\"type\":\"doc\",\"id\":\"1\"}},{\"resource\":{\"type\":\"doc\",\"id\":\"2\"}}]}", out var error));

        Assert.Equal("'evaluations[1].action' is required", error);
    }

    [Fact]
    public void EmptyEvaluations_IsASingleEvaluation()
    {
        var batch = Batch("{\"subject\":" + Alice + ",\"action\":{\"name\":\"read\"},\"resource\":{\"type\":\"doc\",\"id\":\"1\"},\"evaluations\":[]}", out _);

        Assert.Null(batch!.Evaluations);
        Assert.Equal("read", batch.Single!.Action.Name);
    }

    [Theory]
    [InlineData("deny_on_first_deny", EvaluationsSemantic.DenyOnFirstDeny)]
    [InlineData("permit_on_first_permit", EvaluationsSemantic.PermitOnFirstPermit)]
    [InlineData("execute_all", EvaluationsSemantic.ExecuteAll)]
    public void Semantic_IsRead(string name, EvaluationsSemantic expected)
    {
        var batch = Batch("{\"subject\":" + Alice + ",\"action\":{\"name\":\"read\"},\"options\":{\"evaluations_semantic\":\"" + name + "\"},\"evaluations\":[{\"resource\":{\"type\":\"doc\",\"id\":\"1\"}}]}", out _);

        Assert.Equal(expected, batch!.Semantic);
    }

    [Fact]
    public void EmptyId_IsAccepted_EmptyTypeIsNot()
    {
        Assert.NotNull(Batch("{\"subject\":{\"type\":\"user\",\"id\":\"\"},\"action\":{\"name\":\"read\"},\"resource\":{\"type\":\"doc\",\"id\":\"1\"}}", out _));
        Assert.Null(Batch("{\"subject\":{\"type\":\"\",\"id\":\"a\"},\"action\":{\"name\":\"read\"},\"resource\":{\"type\":\"doc\",\"id\":\"1\"}}", out var error));
        Assert.Contains("subject.type", error, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateMemberNames_AreRejectedByTheReaderOptions()
    {
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse("{\"a\":1,\"a\":2}", AuthZenRequestReader.DocumentOptions));
    }
}
