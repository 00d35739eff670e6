using System.Text;
using CsCheck;
using Writ.Core.Audit;

namespace Writ.Core.Tests.Audit;

public sealed class AuditRecordEncodingTests
{
    private static readonly DateTimeOffset Time = new(2026, 11, 28, 14, 37, 8, TimeSpan.Zero);

    private static AuditRecord Full => new()
    {
        Sequence = 42,
        Time = Time.AddTicks(1_234_560),
        Type = AuditEventTypes.Decision,
        Agent = "spiffe://acme.test/agent/b",
        Owner = "team-a",
        TaskId = "t1",
        Chain = ["spiffe://acme.test/agent/a", "spiffe://acme.test/agent/b"],
        Target = "mcp:github/create_issue",
        Decision = "deny",
        Reason = "line1\n\"quoted\" \\ tab\t\u0001 é",
        TraceId = "4bf92f3577b34da6a3ce929d0e0e4736",
        Actor = "ops",
        Policies = ["p1"],
        Errors = [],
        Detail = new Dictionary<string, string> { ["z"] = "1", ["é"] = "2", ["a"] = "3", ["\U0001F600"] = "4", ["\uFFFD"] = "5" },
    };

    [Fact]
    public void Encoding_IsTheDocumentedBytes()
    {
        var text = Encoding.UTF8.GetString(AuditRecordEncoding.Encode(Full));

        Assert.Equal(
            "{\"v\":1,\"seq\":42,\"time\":\"2026-11-28T14:37:08.123456Z\",\"type\":\"decision\",\"agent\":\"spiffe://acme.test/agent/b\",\"owner\":\"team-a\",\"task\":\"t1\","
            + "\"chain\":[\"spiffe://acme.test/agent/a\",\"spiffe://acme.test/agent/b\"],\"target\":\"mcp:github/create_issue\",\"decision\":\"deny\","
            + "\"reason\":\"line1\\n\\\"quoted\\\" \\\\ tab\\t\\u0001 é\",\"trace\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"actor\":\"ops\",\"policies\":[\"p1\"],\"errors\":[],"
            + "\"detail\":{\"a\":\"3\",\"z\":\"1\",\"é\":\"2\",\"\uFFFD\":\"5\",\"\U0001F600\":\"4\"}}",
            text);
    }

    [Fact]
    public void NullFields_AreOmitted()
    {
        var record = new AuditRecord { Sequence = 0, Time = Time, Type = "admin.change" };

        Assert.Equal("{\"v\":1,\"seq\":0,\"time\":\"2026-11-28T14:37:08.000000Z\",\"type\":\"admin.change\"}", Encoding.UTF8.GetString(AuditRecordEncoding.Encode(record)));
    }

    [Fact]
    public void Decode_RoundTripsEveryField() =>
        Assert.Equal(Full, AuditRecordEncoding.Decode(AuditRecordEncoding.Encode(Full)));

    [Fact]
    public void Create_TruncatesToMicrosecondsInUtc()
    {
        var record = AuditRecord.Create(3, new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.FromHours(2)).AddTicks(19), new AuditEvent { Type = "revoked" });

        Assert.Equal(TimeSpan.Zero, record.Time.Offset);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 8, 0, 0, TimeSpan.Zero).AddTicks(10), record.Time);
        Assert.Contains("\"time\":\"2026-01-01T08:00:00.000001Z\"", Encoding.UTF8.GetString(AuditRecordEncoding.Encode(record)), StringComparison.Ordinal);
    }

    [Fact]
    public void RandomRecords_RoundTrip_AndEncodeDeterministically()
    {
        var text = Gen.String[0, 12];
        var optional = Gen.Frequency((1, Gen.Const(() => (string?)null)), (3, text.Select(s => (string?)s)));
        var list = Gen.Frequency((1, Gen.Const(() => (IReadOnlyList<string>?)null)), (3, text.Array[0, 4].Select(a => (IReadOnlyList<string>?)a)));
        var detail = Gen.Frequency(
            (1, Gen.Const(() => (IReadOnlyDictionary<string, string>?)null)),
            (3, Gen.Dictionary(text, text)[0, 5].Select(d => (IReadOnlyDictionary<string, string>?)d)));
        var records =
            from seq in Gen.Long[0, long.MaxValue]
            from micros in Gen.Long[0, 3_000_000_000_000_000]
            from type in Gen.String[1, 12]
            from fields in optional.Array[9, 9]
            from lists in list.Array[3, 3]
            from map in detail
            select new AuditRecord
            {
                Sequence = seq,
                Time = DateTimeOffset.UnixEpoch.AddTicks(micros * 10),
                Type = type,
                Agent = fields[0],
                Owner = fields[1],
                TaskId = fields[2],
                Target = fields[3],
                Decision = fields[4],
                Reason = fields[5],
                TraceId = fields[6],
                Actor = fields[7],
                Chain = lists[0],
                Policies = lists[1],
                Errors = lists[2],
                Detail = map,
            };

        records.Where(HasNoLoneSurrogate).Sample(record =>
        {
            var bytes = AuditRecordEncoding.Encode(record);
            var decoded = AuditRecordEncoding.Decode(bytes);
            Assert.Equal(record, decoded);
            Assert.Equal(bytes, AuditRecordEncoding.Encode(decoded));
        }, iter: 2000);
    }

    [Theory]
    [InlineData("{\"v\":1,\"seq\":0,\"time\":\"2026-11-28T14:37:08.000000Z\",\"type\":\"x\"} ")]
    [InlineData("{\"v\":1, \"seq\":0,\"time\":\"2026-11-28T14:37:08.000000Z\",\"type\":\"x\"}")]
    [InlineData("{\"seq\":0,\"v\":1,\"time\":\"2026-11-28T14:37:08.000000Z\",\"type\":\"x\"}")]
    [InlineData("{\"v\":1,\"seq\":0,\"time\":\"2026-11-28T14:37:08.000000Z\",\"type\":\"\\u0078\"}")]
    [InlineData("{\"v\":1,\"seq\":0,\"time\":\"2026-11-28T14:37:08.000000Z\",\"type\":\"x\\/y\"}")]
    [InlineData("{\"v\":1,\"seq\":0,\"time\":\"2026-11-28T14:37:08.000000Z\",\"type\":\"x\",\"reason\":\"\\u001F\"}")]
    [InlineData("{\"v\":1,\"seq\":00,\"time\":\"2026-11-28T14:37:08.000000Z\",\"type\":\"x\"}")]
    [InlineData("{\"v\":1,\"seq\":1.0,\"time\":\"2026-11-28T14:37:08.000000Z\",\"type\":\"x\"}")]
    [InlineData("{\"v\":1,\"seq\":-1,\"time\":\"2026-11-28T14:37:08.000000Z\",\"type\":\"x\"}")]
    [InlineData("{\"v\":1,\"seq\":0,\"time\":\"2026-11-28T14:37:08.00000Z\",\"type\":\"x\"}")]
    [InlineData("{\"v\":1,\"seq\":0,\"time\":\"2026-11-28T14:37:08.000000+00:00\",\"type\":\"x\"}")]
    [InlineData("{\"v\":1,\"seq\":0,\"time\":\"2026-11-28T14:37:08.000000Z\",\"type\":\"x\",\"agent\":null}")]
    [InlineData("{\"v\":1,\"seq\":0,\"time\":\"2026-11-28T14:37:08.000000Z\",\"type\":\"x\",\"extra\":\"y\"}")]
    [InlineData("{\"v\":1,\"seq\":0,\"time\":\"2026-11-28T14:37:08.000000Z\",\"type\":\"x\",\"type\":\"x\"}")]
    [InlineData("{\"v\":1,\"seq\":0,\"time\":\"2026-11-28T14:37:08.000000Z\",\"type\":\"x\",\"detail\":{\"b\":\"1\",\"a\":\"2\"}}")]
    [InlineData("{\"v\":1,\"seq\":0,\"time\":\"2026-11-28T14:37:08.000000Z\",\"type\":\"x\",\"detail\":{\"a\":\"1\",\"a\":\"2\"}}")]
    [InlineData("{\"v\":1,\"seq\":0,\"time\":\"2026-11-28T14:37:08.000000Z\",\"type\":\"x\",\"chain\":[1]}")]
    [InlineData("{\"v\":2,\"seq\":0,\"time\":\"2026-11-28T14:37:08.000000Z\",\"type\":\"x\"}")]
    [InlineData("{\"seq\":0,\"time\":\"2026-11-28T14:37:08.000000Z\",\"type\":\"x\"}")]
    [InlineData("{\"v\":1,\"seq\":0,\"time\":\"2026-11-28T14:37:08.000000Z\"}")]
    [InlineData("{\"v\":1,\"seq\":0,\"time\":\"2026-11-28T14:37:08.000000Z\",\"type\":\"\"}")]
    [InlineData("{\"v\":1,\"seq\":0,\"time\":\"2026-11-28T14:37:08.000000Z\",\"type\":\"x\"}{}")]
    [InlineData("[]")]
    [InlineData("")]
    public void NonCanonicalBytes_AreRejected(string text) =>
        Assert.Throws<AuditRecordFormatException>(() => AuditRecordEncoding.Decode(Encoding.UTF8.GetBytes(text)));

    [Theory]
    [InlineData("{\"v\":1,\"seq\":0,\"time\":\"x", 0L)]
    [InlineData("{\"v\":1,\"seq\":9223372036854775807,\"time\":\"", long.MaxValue)]
    [InlineData("{\"v\":1,\"seq\":00,\"time\":\"", -1L)]
    [InlineData("{\"v\":1,\"seq\":9223372036854775808,\"time\":\"", -1L)]
    [InlineData("{\"v\":1,\"seq\":-1,\"time\":\"", -1L)]
    [InlineData("{\"v\":1,\"seq\":1 ,\"time\":\"", -1L)]
    [InlineData("{\"v\":1, \"seq\":1,\"time\":\"", -1L)]
    [InlineData("{\"v\":2,\"seq\":1,\"time\":\"", -1L)]
    [InlineData("{\"v\":1,\"seq\":", -1L)]
    public void SequencePrefix_IsReadStrictly(string text, long expected)
    {
        var ok = AuditRecordEncoding.TryReadSequence(Encoding.UTF8.GetBytes(text), out var sequence);

        Assert.Equal(expected >= 0, ok);
        Assert.Equal(expected, sequence);
    }

    [Fact]
    public void SequencePrefix_AgreesWithDecode() =>
        Assert.True(AuditRecordEncoding.TryReadSequence(AuditRecordEncoding.Encode(Full), out var sequence) && sequence == Full.Sequence);

    [Fact]
    public void InvalidUtf8_IsRejected()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"v\":1,\"seq\":0,\"time\":\"2026-11-28T14:37:08.000000Z\",\"type\":\"xx\"}");
        bytes[^3] = 0xC3;

        Assert.Throws<AuditRecordFormatException>(() => AuditRecordEncoding.Decode(bytes));
    }

    [Fact]
    public void LoneSurrogate_HasNoEncoding() =>
        Assert.Throws<AuditRecordFormatException>(() => AuditRecordEncoding.Encode(Full with { Reason = "a\uD800b" }));

    [Fact]
    public void SubMicrosecondTime_HasNoEncoding() =>
        Assert.Throws<AuditRecordFormatException>(() => AuditRecordEncoding.Encode(Full with { Time = Time.AddTicks(5) }));

    [Fact]
    public void NullListItem_HasNoEncoding() =>
        Assert.Throws<AuditRecordFormatException>(() => AuditRecordEncoding.Encode(Full with { Chain = [null!] }));

    [Fact]
    public void LeafHash_IsSha256OfZeroAndTheBytes() =>
        Assert.Equal(ReferenceMerkle.Leaf(AuditRecordEncoding.Encode(Full)), AuditRecordEncoding.ComputeLeafHash(Full));

    private static bool HasNoLoneSurrogate(AuditRecord record)
    {
        IEnumerable<string?> strings = [record.Type, record.Agent, record.Owner, record.TaskId, record.Target, record.Decision, record.Reason, record.TraceId, record.Actor,
            .. record.Chain ?? [], .. record.Policies ?? [], .. record.Errors ?? [], .. record.Detail?.Keys ?? [], .. record.Detail?.Values ?? []];
        return strings.All(s => s is null || IsWellFormed(s));
    }

    private static bool IsWellFormed(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(s[i]))
            {
                return false;
            }
        }

        return true;
    }
}
