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
        var evaluations = batch!.Evaluations!.Select(i => i.Evaluation!).ToList();
        Assert.Equal(["read", "edit"], evaluations.Select(e => e.Action.Name));
        Assert.Equal(["alice", "alice"], evaluations.Select(e => e.Subject.Id));
        Assert.True(evaluations[0].Context!.Value.TryGetProperty("a", out _));
        Assert.False(evaluations[1].Context!.Value.TryGetProperty("a", out _));
        Assert.Equal(EvaluationsSemantic.ExecuteAll, batch.Semantic);
    }

    [Fact]
    public void MissingMemberAfterDefaults_FailsOnlyThatItem()
    {
        var batch = Batch("{\"subject\":" + Alice + ",\"evaluations\":[{\"action\":{\"name\":\"read\"},\"resource\":{\"type\":\"doc\",\"id\":\"1\"}},{\"resource\":{\"type\":\"doc\",\"id\":\"2\"}}]}", out var error);

        Assert.Null(error);
        Assert.NotNull(batch!.Evaluations![0].Evaluation);
        Assert.Null(batch.Evaluations[1].Evaluation);
        Assert.Equal("'evaluations[1].action' is required", batch.Evaluations[1].Error);
    }

    [Fact]
    public void MalformedDefault_FailsTheWholeRequest()
    {
        Assert.Null(Batch("{\"subject\":\"alice\",\"evaluations\":[{\"action\":{\"name\":\"read\"},\"resource\":{\"type\":\"doc\",\"id\":\"1\"}}]}", out var error));

        Assert.Contains("subject", error, StringComparison.Ordinal);
    }

    [Fact]
    public void NullOptionalMembers_CountAsAbsent()
    {
        var batch = Batch("{\"subject\":{\"type\":\"user\",\"id\":\"a\",\"properties\":null},\"action\":{\"name\":\"read\"},\"resource\":{\"type\":\"doc\",\"id\":\"1\"},\"context\":null,\"options\":null,\"evaluations\":null}", out var error);

        Assert.Null(error);
        Assert.Null(batch!.Single!.Context);
        Assert.Null(batch.Single.Subject.Properties);
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
    public void EmptyStrings_AreStrings()
    {
        Assert.NotNull(Batch("{\"subject\":{\"type\":\"user\",\"id\":\"\"},\"action\":{\"name\":\"read\"},\"resource\":{\"type\":\"doc\",\"id\":\"1\"}}", out _));
        Assert.NotNull(Batch("{\"subject\":{\"type\":\"\",\"id\":\"a\"},\"action\":{\"name\":\"\"},\"resource\":{\"type\":\"doc\",\"id\":\"1\"}}", out var error));
        Assert.Null(error);
    }

    [Fact]
    public void DuplicateMemberNames_AreRejectedByTheReaderOptions()
    {
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse("{\"a\":1,\"a\":2}", AuthZenRequestReader.DocumentOptions));
    }
}
