using System.Text;

namespace Iscsi.Tests.Fuzz;

/// <summary>
/// <see cref="IscsiUrl.Parse"/> and <see cref="IscsiUrl.Redact"/> on mistyped URLs that carry known secrets (as
/// user%secret@ and as target_password): Parse returns a URL or throws IscsiArgumentException, nothing else; and
/// neither its message, nor Redact, nor the parsed URL's ToString ever shows a secret, a piece of one, or a raw
/// control character.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed class UrlParserFuzzTests
{
    private const string UserMark = "{U}";
    private const string PasswordMark = "{T}";

    // Each piece of a secret is distinctive (no seed, and no run of inserted characters, spells one), so that a piece
    // showing anywhere is a leak; the delimiters between the pieces are the ones that split URLs.
    private static readonly (string User, string Target)[] Secrets =
    [
        ("Zq9KPw7JLx4H", "Vb3NMr8QTk5W"),
        ("Zq9K/Pw7J?Lx4H", "Vb3N&Mr8Q=Tk5W"),
        ("Zq9K@Pw7J%Lx4H", "Vb3N@Mr8Q%Tk5W"),
        ("Zq9K:Pw7J#Lx4H", "Vb3N?Mr8Q/Tk5W"),
    ];

    // (template, whether it is valid as it stands): mistakes are made to valid URLs and to the mistyped forms users make.
    private static readonly (string Template, bool Valid)[] Seeds =
    [
        ("iscsi://{U}@127.0.0.1:3260/iqn.2026-11.test:disk/1", true),
        ("iscsi://{U}@[fe80::1%eth0]:3262/iqn.2026-11.test:disk/0?header_digest=crc32c", true),
        ("iscsi://{U}@nas01/iqn.2026-11.test:disk?target_user=tgt&{T}&data_digest=none", true),
        ("iscsi://{U}@nas01:3261?{T}&target_user=tgt", true),
        ("iscsi://{U}@host/eui.0123456789abcdef/16383?initiator_name=iqn.2026-11.me:x&{T}&target_user=tgt", true),
        ("{U}@127.0.0.1:3260", false),
        ("iscsi:/{U}@127.0.0.1:P/iqn/1", false),
        ("iscsi://[::1]/iqn.2026-11.test:disk/2?target_user=tgt&{T}", false),
    ];

    [Fact]
    public void The_seeds_parse_as_meant_and_show_no_secret()
    {
        // The control: before any mistake, the valid seeds carry their secrets where they belong, and the checks pass.
        foreach (var secrets in Secrets)
            foreach (var (template, valid) in Seeds)
            {
                string url = Mark(template, secrets).ToString();
                if (valid)
                {
                    var parsed = IscsiUrl.Parse(url);
                    Assert.Equal(secrets.User, parsed.Chap!.Secret);
                    if (template.Contains(PasswordMark, StringComparison.Ordinal)) Assert.Equal(secrets.Target, parsed.TargetChap!.Secret);
                }
                else Assert.Throws<IscsiArgumentException>(() => IscsiUrl.Parse(url));
                Check(url, secrets);
            }
    }

    [Fact]
    public void Mistyped_urls_parse_or_are_refused_without_showing_a_secret()
    {
        FuzzRunner.Run("IscsiUrl", random =>
        {
            int which = random.Next(Secrets.Length);
            var marked = Mark(Seeds[random.Next(Seeds.Length)].Template, Secrets[which]);
            return [(byte)which, .. Encoding.UTF8.GetBytes(new UrlMutator(random).Mutate(marked))];
        }, (input, unused) => Check(Encoding.UTF8.GetString(input.AsSpan(1)), Secrets[input[0]]), _ => false);
    }

    private static void Check(string url, (string User, string Target) secrets)
    {
        NothingSecret("Redact", IscsiUrl.Redact(url), secrets);
        try
        {
            var parsed = IscsiUrl.Parse(url);
            NothingSecret("ToString", parsed.ToString(), secrets);
            NothingSecret("Chap.ToString", parsed.Chap?.ToString(), secrets);
        }
        catch (IscsiArgumentException e)
        {
            NothingSecret($"the {e.ErrorId} message", e.Message, secrets);
        }
    }

    private static void NothingSecret(string what, string? text, (string User, string Target) secrets)
    {
        if (text is null) return;
        foreach (var piece in Pieces(secrets.User).Concat(Pieces(secrets.Target)))
            Assert.False(text.Contains(piece, StringComparison.Ordinal), $"{what} shows '{piece}', a piece of a secret: {TextSafety.Printable(text)}");
        Assert.False(text.Any(char.IsControl), $"{what} shows a control character: {TextSafety.Printable(text)}");
    }

    private static IEnumerable<string> Pieces(string secret)
        => secret.Split(['/', '?', '@', '%', ':', '#', '&', '=']).SelectMany(part => part.Chunk(4)).Select(c => new string(c));

    private static MarkedText Mark(string seed, (string User, string Target) secrets)
    {
        var text = new MarkedText();
        int at = 0;
        while (at < seed.Length)
        {
            int user = seed.IndexOf(UserMark, at, StringComparison.Ordinal), target = seed.IndexOf(PasswordMark, at, StringComparison.Ordinal);
            int next = new[] { user, target }.Where(i => i >= 0).DefaultIfEmpty(seed.Length).Min();
            text.Plain(seed[at..next]);
            if (next == seed.Length) break;
            at = next + UserMark.Length;
            // A secret holding '@' can be told from the host only by the '@' after it (the parser takes the last one):
            // that '@' is kept like the secret.
            bool keepAt = next == user && secrets.User.Contains('@') && at < seed.Length && seed[at] == '@';
            text.Marked(next == user ? "alice%" + secrets.User + (keepAt ? "@" : "") : "target_password=" + secrets.Target);
            if (keepAt) at++;
        }
        return text;
    }
}
