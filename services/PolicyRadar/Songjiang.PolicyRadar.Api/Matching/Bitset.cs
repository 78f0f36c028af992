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

    /// <summary>ORs this set into <paramref name="target"/>.</summary>
    public void OrInto(ulong[] target)
    {
        var length = Math.Min(target.Length, _words.Length);
        for (var i = 0; i < length; i++)
        {
            target[i] |= _words[i];
        }
    }

    /// <summary>The ids set in <paramref name="words"/>.</summary>
    public static IEnumerable<int> Members(ulong[] words)
    {
        for (var i = 0; i < words.Length; i++)
        {
            var word = words[i];
            while (word != 0)
            {
                yield return (i << 6) + BitOperations.TrailingZeroCount(word);
                word &= word - 1;
            }
        }
    }
}
