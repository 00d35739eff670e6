using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Writ.Core.Audit;

/// <summary>
/// The canonical bytes of an audit record, version 1: the Merkle leaf of a record is
/// SHA-256(0x00 ‖ these bytes). One compact JSON object in UTF-8 with the keys in this fixed order,
/// absent (null) fields omitted:
/// <c>v</c> (the number 1), <c>seq</c>, <c>time</c>, <c>type</c>, <c>agent</c>, <c>owner</c>,
/// <c>task</c>, <c>chain</c>, <c>target</c>, <c>decision</c>, <c>reason</c>, <c>trace</c>,
/// <c>actor</c>, <c>policies</c>, <c>errors</c>, <c>detail</c>. <c>seq</c> is a decimal integer,
/// <c>time</c> is <c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c> in UTC, lists are arrays of strings, and
/// <c>detail</c> is an object whose keys are sorted by their UTF-8 bytes. Strings escape only
/// <c>"</c>, <c>\</c> and U+0000–U+001F (<c>\b \t \n \f \r</c> where they exist, else
/// <c>\u00xx</c> in lower-case hex); everything else is written as raw UTF-8. There is no
/// whitespace between tokens. docs/concepts/audit-log.md states the same for outside verifiers.
/// </summary>
public static class AuditRecordEncoding
{
    /// <summary>The encoding version written as <c>"v"</c>.</summary>
    public const int Version = 1;

    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    // Decode re-encodes to prove the input canonical; one scratch buffer per thread spares an allocation per record.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_reencoded;

    /// <summary>The canonical bytes of <paramref name="record"/>.</summary>
    /// <exception cref="AuditRecordFormatException">
    /// The record has no canonical form: a negative sequence, a time finer than a microsecond, an
    /// empty type, a null list item or detail value, or a string that is not valid UTF-16.
    /// </exception>
    public static byte[] Encode(AuditRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Encode(record, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the canonical bytes of <paramref name="record"/> to <paramref name="output"/>.</summary>
    /// <exception cref="AuditRecordFormatException">As for <see cref="Encode(AuditRecord)"/>.</exception>
    public static void Encode(AuditRecord record, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(output);
        if (record.Sequence < 0)
        {
            throw new AuditRecordFormatException("the sequence number must not be negative");
        }

        if (record.Time.UtcTicks % TimeSpan.TicksPerMicrosecond != 0)
        {
            throw new AuditRecordFormatException("the time must be at microsecond precision (use AuditRecord.TruncateToMicroseconds)");
        }

        if (string.IsNullOrEmpty(record.Type))
        {
            throw new AuditRecordFormatException("the type must not be empty");
        }

        var writer = new CanonicalJsonWriter(output);
        writer.Raw("{\"v\":1,\"seq\":"u8);
        writer.Integer(record.Sequence);
        writer.Raw(",\"time\":\""u8);
        writer.Time(record.Time.UtcDateTime, TimeFormat);
        writer.Raw("\",\"type\":"u8);
        writer.String(record.Type);
        writer.OptionalString(",\"agent\":"u8, record.Agent);
        writer.OptionalString(",\"owner\":"u8, record.Owner);
        writer.OptionalString(",\"task\":"u8, record.TaskId);
        writer.OptionalList(",\"chain\":"u8, record.Chain);
        writer.OptionalString(",\"target\":"u8, record.Target);
        writer.OptionalString(",\"decision\":"u8, record.Decision);
        writer.OptionalString(",\"reason\":"u8, record.Reason);
        writer.OptionalString(",\"trace\":"u8, record.TraceId);
        writer.OptionalString(",\"actor\":"u8, record.Actor);
        writer.OptionalList(",\"policies\":"u8, record.Policies);
        writer.OptionalList(",\"errors\":"u8, record.Errors);
        writer.OptionalMap(",\"detail\":"u8, record.Detail);
        writer.Raw("}"u8);
    }

    /// <summary>The Merkle leaf hash of <paramref name="record"/>: SHA-256(0x00 ‖ canonical bytes).</summary>
    public static byte[] ComputeLeafHash(AuditRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Encode(record, buffer);
        return MerkleHash.HashLeaf(buffer.WrittenSpan);
    }

    /// <summary>
    /// The record whose canonical bytes are exactly <paramref name="bytes"/>. Anything else is
    /// rejected: another version, unknown or repeated keys, a different key order, whitespace,
    /// other escapes, invalid UTF-8 or trailing bytes.
    /// </summary>
    /// <exception cref="AuditRecordFormatException">The bytes are not a canonical record.</exception>
    public static AuditRecord Decode(ReadOnlySpan<byte> bytes)
    {
        AuditRecord record;
        try
        {
            record = Parse(bytes);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or OverflowException or ArgumentException)
        {
            throw new AuditRecordFormatException("not an audit record: " + e.Message, e);
        }

        var canonical = t_reencoded ??= new ArrayBufferWriter<byte>(1024);
        canonical.ResetWrittenCount();
        Encode(record, canonical);
        var same = canonical.WrittenSpan.SequenceEqual(bytes);
        if (canonical.Capacity > 64 * 1024)
        {
            // Keep no huge buffer alive for the thread's lifetime after one outsized record.
            t_reencoded = null;
        }

        if (!same)
        {
            throw new AuditRecordFormatException("the audit record is not in canonical form");
        }

        return record;
    }

    /// <summary>
    /// Reads the sequence number from the fixed start of canonical bytes (<c>{"v":1,"seq":N,"time":"</c>)
    /// without decoding the rest: enough to place a record whose bytes are covered by a Merkle root.
    /// </summary>
    public static bool TryReadSequence(ReadOnlySpan<byte> bytes, out long sequence)
    {
        sequence = -1;
        ReadOnlySpan<byte> prefix = "{\"v\":1,\"seq\":"u8;
        ReadOnlySpan<byte> suffix = ",\"time\":\""u8;
        if (!bytes.StartsWith(prefix))
        {
            return false;
        }

        var digits = bytes[prefix.Length..];
        var length = digits.IndexOfAnyExceptInRange((byte)'0', (byte)'9');
        if (length <= 0 || length > 19 || (length > 1 && digits[0] == (byte)'0') || !digits[length..].StartsWith(suffix))
        {
            return false;
        }

        long value = 0;
        foreach (var digit in digits[..length])
        {
            if (value > (long.MaxValue - (digit - '0')) / 10)
            {
                return false;
            }

            value = (value * 10) + (digit - '0');
        }

        sequence = value;
        return true;
    }

    private static AuditRecord Parse(ReadOnlySpan<byte> bytes)
    {
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 4 });
        Expect(ref reader, JsonTokenType.StartObject);
        int? version = null;
        long? sequence = null;
        DateTimeOffset? time = null;
        string? type = null, agent = null, owner = null, task = null, target = null, decision = null, reason = null, trace = null, actor = null;
        IReadOnlyList<string>? chain = null, policies = null, errors = null;
        IReadOnlyDictionary<string, string>? detail = null;
        while (true)
        {
            Read(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                throw new AuditRecordFormatException("expected a key");
            }

            var key = reader.GetString();
            Read(ref reader);
            switch (key)
            {
                case "v":
                    version = reader.TokenType == JsonTokenType.Number ? reader.GetInt32() : throw new AuditRecordFormatException("v must be a number");
                    if (version != Version)
                    {
                        throw new AuditRecordFormatException($"unknown audit record encoding version {version}");
                    }

                    break;
                case "seq":
                    sequence = reader.TokenType == JsonTokenType.Number ? reader.GetInt64() : throw new AuditRecordFormatException("seq must be a number");
                    break;
                case "time":
                    time = DateTimeOffset.ParseExact(ReadString(ref reader), TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
                    break;
                case "type": type = ReadString(ref reader); break;
                case "agent": agent = ReadString(ref reader); break;
                case "owner": owner = ReadString(ref reader); break;
                case "task": task = ReadString(ref reader); break;
                case "chain": chain = ReadList(ref reader); break;
                case "target": target = ReadString(ref reader); break;
                case "decision": decision = ReadString(ref reader); break;
                case "reason": reason = ReadString(ref reader); break;
                case "trace": trace = ReadString(ref reader); break;
                case "actor": actor = ReadString(ref reader); break;
                case "policies": policies = ReadList(ref reader); break;
                case "errors": errors = ReadList(ref reader); break;
                case "detail": detail = ReadMap(ref reader); break;
                default: throw new AuditRecordFormatException($"unknown key '{key}'");
            }
        }

        if (reader.Read())
        {
            throw new AuditRecordFormatException("bytes after the record");
        }

        if (version is null || sequence is null || time is null || type is null)
        {
            throw new AuditRecordFormatException("v, seq, time and type are required");
        }

        return new AuditRecord
        {
            Sequence = sequence.Value,
            Time = time.Value,
            Type = type,
            Agent = agent,
            Owner = owner,
            TaskId = task,
            Chain = chain,
            Target = target,
            Decision = decision,
            Reason = reason,
            TraceId = trace,
            Actor = actor,
            Policies = policies,
            Errors = errors,
            Detail = detail,
        };
    }

    private static void Read(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new AuditRecordFormatException("the record ends early");
        }
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        Read(ref reader);
        if (reader.TokenType != type)
        {
            throw new AuditRecordFormatException($"expected {type}, found {reader.TokenType}");
        }
    }

    private static string ReadString(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new AuditRecordFormatException("expected a string");

    private static List<string> ReadList(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new AuditRecordFormatException("expected an array");
        }

        var items = new List<string>();
        while (true)
        {
            Read(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return items;
            }

            items.Add(ReadString(ref reader));
        }
    }

    private static Dictionary<string, string> ReadMap(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new AuditRecordFormatException("detail must be an object");
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        while (true)
        {
            Read(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return map;
            }

            var key = reader.GetString()!;
            Read(ref reader);
            if (!map.TryAdd(key, ReadString(ref reader)))
            {
                throw new AuditRecordFormatException($"detail key '{key}' appears twice");
            }
        }
    }

    internal static byte[] StrictUtf8(string value)
    {
        try
        {
            return StrictEncoding.GetBytes(value);
        }
        catch (EncoderFallbackException e)
        {
            throw new AuditRecordFormatException("a string is not valid UTF-16 (lone surrogate)", e);
        }
    }

    private static readonly UTF8Encoding StrictEncoding = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
