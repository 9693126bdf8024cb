namespace Iscsi.Tests.Fuzz;

/// <summary>A valid input to mutate, with the length fields it carries (so the mutator can lie in them).</summary>
internal sealed record FuzzInput(byte[] Bytes, IReadOnlyList<LengthField> LengthFields)
{
    public FuzzInput(byte[] bytes) : this(bytes, []) { }
}
