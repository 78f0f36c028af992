using System.Text.Json.Nodes;

namespace Songjiang.Workflows.Expressions;

/// <summary>What an expression can see: the instance data and today's date in the statutory time zone.</summary>
internal sealed record EvaluationScope(JsonObject Data, DateOnly Today);

/// <summary>A parsed expression tree. Values are decimal, string, bool, DateOnly, null or a list of these.</summary>
internal abstract record ExpressionNode
{
    public abstract object? Evaluate(EvaluationScope scope);
}

internal sealed record Literal(object? Value) : ExpressionNode
{
    public override object? Evaluate(EvaluationScope scope) => Value;
}

internal sealed record ListLiteral(IReadOnlyList<ExpressionNode> Items) : ExpressionNode
{
    public override object? Evaluate(EvaluationScope scope) => Items.Select(i => i.Evaluate(scope)).ToList();
}

/// <summary>A dotted path into the instance data, e.g. <c>applicant.credit</c>; a missing key reads as null.</summary>
internal sealed record PathReference(IReadOnlyList<string> Segments) : ExpressionNode
{
    public override object? Evaluate(EvaluationScope scope)
    {
        JsonNode? node = scope.Data;
        foreach (var segment in Segments)
        {
            node = node is JsonObject obj && obj.TryGetPropertyValue(segment, out var child) ? child : null;
            if (node is null) return null;
        }

        return Values.FromJson(node);
    }
}

internal sealed record Not(ExpressionNode Operand) : ExpressionNode
{
    public override object? Evaluate(EvaluationScope scope) => !Values.AsBool(Operand.Evaluate(scope));
}

internal sealed record Negate(ExpressionNode Operand) : ExpressionNode
{
    public override object? Evaluate(EvaluationScope scope) => -Values.AsNumber(Operand.Evaluate(scope));
}

internal sealed record Logical(string Operator, ExpressionNode Left, ExpressionNode Right) : ExpressionNode
{
    // Short-circuits, so `x != null and x.y > 1` is safe.
    public override object? Evaluate(EvaluationScope scope)
    {
        var left = Values.AsBool(Left.Evaluate(scope));
        return Operator == "and"
            ? left && Values.AsBool(Right.Evaluate(scope))
            : left || Values.AsBool(Right.Evaluate(scope));
    }
}

internal sealed record Membership(ExpressionNode Item, ExpressionNode List, bool Negated) : ExpressionNode
{
    public override object? Evaluate(EvaluationScope scope)
    {
        var item = Item.Evaluate(scope);
        if (List.Evaluate(scope) is not List<object?> list)
            throw new ExpressionException("the right side of 'in' must be a list");
        return list.Any(candidate => Values.AreEqual(item, candidate)) != Negated;
    }
}

internal sealed record Binary(string Operator, ExpressionNode Left, ExpressionNode Right) : ExpressionNode
{
    public override object? Evaluate(EvaluationScope scope)
    {
        var left = Left.Evaluate(scope);
        var right = Right.Evaluate(scope);
        return Operator switch
        {
            "==" => Values.AreEqual(left, right),
            "!=" => !Values.AreEqual(left, right),
            "<" => Values.Compare(left, right) < 0,
            "<=" => Values.Compare(left, right) <= 0,
            ">" => Values.Compare(left, right) > 0,
            ">=" => Values.Compare(left, right) >= 0,
            _ => Values.Arithmetic(Operator, left, right),
        };
    }
}

/// <summary>One of the few built-in functions: <c>date('2025-10-01')</c> and <c>today()</c>.</summary>
internal sealed record FunctionCall(string Name, IReadOnlyList<ExpressionNode> Arguments) : ExpressionNode
{
    public static readonly IReadOnlyDictionary<string, int> Arity = new Dictionary<string, int>
    {
        ["date"] = 1,
        ["today"] = 0,
    };

    public override object? Evaluate(EvaluationScope scope) => Name switch
    {
        "today" => scope.Today,
        _ => Values.AsDate(Arguments[0].Evaluate(scope)),
    };
}
