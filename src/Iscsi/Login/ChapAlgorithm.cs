namespace Iscsi.Login;

/// <summary>CHAP digest algorithms, numbered as the CHAP_A key carries them: the IANA "PPP Authentication
/// Algorithms" registry values (5 = MD5 as in RFC 1994/RFC 7143; 6, 7, 8 = SHA-1, SHA-256, SHA3-256 as
/// later registered and implemented by current Linux initiators and targets).</summary>
public enum ChapAlgorithm : byte
{
    Md5 = 5,
    Sha1 = 6,
    Sha256 = 7,
    Sha3_256 = 8,
}
