using System.Globalization;
using System.Text;

namespace Writ.Cedar.Values;

/// <summary>A Cedar <c>ipaddr</c>: an IPv4 or IPv6 address with a prefix length (a single address has the full length).</summary>
public sealed class IpAddrValue : Value
{
    /// <summary>Creates an address. For IPv4 only the low 32 bits of <paramref name="address"/> are used.</summary>
    public IpAddrValue(bool isV4, UInt128 address, int prefixLength)
    {
        var width = isV4 ? 32 : 128;
        ArgumentOutOfRangeException.ThrowIfNegative(prefixLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixLength, width);
        IsV4 = isV4;
        Address = isV4 ? address & uint.MaxValue : address;
        PrefixLength = prefixLength;
    }

    /// <summary>Whether this is an IPv4 address.</summary>
    public bool IsV4 { get; }

    /// <summary>The address bits (IPv4 in the low 32 bits).</summary>
    public UInt128 Address { get; }

    /// <summary>The prefix length: 32 or 128 for a single address.</summary>
    public int PrefixLength { get; }

    /// <summary>The address width in bits.</summary>
    public int Width => IsV4 ? 32 : 128;

    /// <inheritdoc />
    public override ValueKind Kind => ValueKind.IpAddr;

    /// <summary>The lowest and highest address of the range this value denotes.</summary>
    public (UInt128 Low, UInt128 High) Range
    {
        get
        {
            var hostBits = Width - PrefixLength;
            if (hostBits == 0)
            {
                return (Address, Address);
            }

            var hostMask = hostBits >= 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - 1;
            var low = Address & ~hostMask;
            return (low, low | hostMask);
        }
    }

    /// <summary>Whether this range lies within <paramref name="other"/>'s range (same family only).</summary>
    public bool IsInRange(IpAddrValue other)
    {
        if (other.IsV4 != IsV4)
        {
            return false;
        }

        var (lo1, hi1) = Range;
        var (lo2, hi2) = other.Range;
        return hi2 >= hi1 && lo1 >= lo2;
    }

    /// <summary>The address in text form with its prefix, e.g. <c>10.0.0.0/8</c>.</summary>
    public string ToAddressString()
    {
        var sb = new StringBuilder();
        if (IsV4)
        {
            var a = (uint)Address;
            sb.Append(CultureInfo.InvariantCulture, $"{a >> 24}.{(a >> 16) & 0xff}.{(a >> 8) & 0xff}.{a & 0xff}");
        }
        else
        {
            for (var i = 0; i < 8; i++)
            {
                if (i > 0)
                {
                    sb.Append(':');
                }

                var group = (ushort)(Address >> (112 - (16 * i)));
                sb.Append(group.ToString("x", CultureInfo.InvariantCulture));
            }
        }

        if (PrefixLength != Width)
        {
            sb.Append('/').Append(PrefixLength.ToString(CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    /// <inheritdoc />
    public override bool Equals(Value? other) =>
        other is IpAddrValue ip && ip.IsV4 == IsV4 && ip.Address == Address && ip.PrefixLength == PrefixLength;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(IsV4, Address, PrefixLength);

    /// <inheritdoc />
    public override string ToString() => "ip(\"" + ToAddressString() + "\")";
}
