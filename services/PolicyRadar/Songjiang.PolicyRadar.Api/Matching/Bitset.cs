using System.Numerics;

namespace Songjiang.PolicyRadar.Api.Matching;

/// <summary>A growable set of dense enterprise ids, one bit each: unions and intersections a word (64 ids) at a time.</summary>
internal sealed class Bitset
{
    private ulong[] _words = new ulong[16];

    /// <summary>Members.</summary>
    public int Count { get; private set; }

    public void Add(int id)
    {
        var word = id >> 6;
        if (word >= _words.Length)
        {
            Array.Resize(ref _words, Math.Max(word + 1, _words.Length * 2));
        }
        var mask = 1UL << (id & 63);
        if ((_words[word] & mask) == 0)
        {
            _words[word] |= mask;
            Count++;
        }
    }

    public void Remove(int id)
    {
        var word = id >> 6;
        var mask = 1UL << (id & 63);
        if (word < _words.Length && (_words[word] & mask) != 0)
        {
            _words[word] &= ~mask;
            Count--;
        }
    }

    /// <summary>ORs this set into the first words of <paramref name="target"/>.</summary>
    public void OrInto(Span<ulong> target)
    {
        var length = Math.Min(target.Length, _words.Length);
        for (var i = 0; i < length; i++)
        {
            target[i] |= _words[i];
        }
    }

    /// <summary>Clears this set's members from <paramref name="target"/>.</summary>
    public void AndNotInto(Span<ulong> target)
    {
        var length = Math.Min(target.Length, _words.Length);
        for (var i = 0; i < length; i++)
        {
            target[i] &= ~_words[i];
        }
    }

    /// <summary>Whether an id is a member.</summary>
    public bool Contains(int id)
    {
        var word = id >> 6;
        return word < _words.Length && (_words[word] & (1UL << (id & 63))) != 0;
    }

    /// <summary>Sets the ids below <paramref name="count"/> in <paramref name="target"/>, clearing the rest.</summary>
    public static void Fill(Span<ulong> target, int count)
    {
        target.Fill(ulong.MaxValue);
        if ((count & 63) != 0)
        {
            target[^1] = (1UL << (count & 63)) - 1;
        }
    }

    /// <summary>Members of <paramref name="words"/>.</summary>
    public static int PopCount(ReadOnlySpan<ulong> words)
    {
        var count = 0;
        foreach (var word in words)
        {
            count += BitOperations.PopCount(word);
        }
        return count;
    }

    /// <summary>The ids set in <paramref name="words"/>, ascending, as a compact array.</summary>
    public static int[] ToIds(ReadOnlySpan<ulong> words)
    {
        var ids = new int[PopCount(words)];
        var next = 0;
        for (var i = 0; i < words.Length; i++)
        {
            var word = words[i];
            while (word != 0)
            {
                ids[next++] = (i << 6) + BitOperations.TrailingZeroCount(word);
                word &= word - 1;
            }
        }
        return ids;
    }
}
