namespace Iscsi.Login;

/// <summary>How the two sides' values of a key combine into the result (RFC 7143 6.2, and each key's entry in
/// section 13).</summary>
internal enum ResultFunction
{
    /// <summary>Numerical: the smaller value wins; the responder answers at most the offer.</summary>
    Min,
    /// <summary>Numerical: the larger value wins; the responder answers at least the offer.</summary>
    Max,
    /// <summary>Boolean: Yes only if both say Yes; an offer of No fixes the result.</summary>
    And,
    /// <summary>Boolean: Yes if either says Yes; an offer of Yes fixes the result.</summary>
    Or,
    /// <summary>The responder picks the first value of the offered list it supports.</summary>
    List,
    /// <summary>Each side states its own value; nothing is answered.</summary>
    Declarative,
}
