using System.Globalization;
using Iscsi.Login;
using Iscsi.Pdu;

namespace Iscsi.Tests.Fakes;

/// <summary>
/// The target side of a login without authentication: the security stage answers AuthMethod=None, the
/// operational stage answers every key the initiator offered (RFC 7143 section 13 result functions applied to
/// the offer and the fake's settings), then full feature phase. Or a refusal/redirect, if the settings say so.
/// </summary>
internal static class FakeLogin
{
    private const byte FullFeaturePhase = 3;

    /// <summary>True when the login completed; false when it was refused (the connection is then closed).</summary>
    public static async Task<bool> RunAsync(FakeConnection connection, CancellationToken cancellationToken)
    {
        var settings = connection.Settings;
        uint statSn = settings.InitialStatSn;
        for (int exchange = 0; exchange < 16; exchange++)
        {
            var received = await connection.ReadPduAsync(cancellationToken).ConfigureAwait(false);
            if (received is null) return false;
            if (!LoginRequest.TryRead(received.Header, out var request))
                throw new IOException($"Expected a Login Request, got {received.Opcode}.");
            var keys = TextKeyValues.Parse(received.Data);
            connection.LoginKeys.AddRange(keys.Pairs);
            connection.LoginRequests.Add(request);

            var response = new TextKeyValues();
            uint expCmdSn = request.CmdSn;
            uint maxCmdSn = expCmdSn + (uint)settings.InitialCommandWindow - 1;
            if (settings.LoginOverride?.Invoke(exchange, keys) is { } scripted)
            {
                await SendScriptedAsync(connection, request, scripted, statSn++, expCmdSn, maxCmdSn).ConfigureAwait(false);
                if (scripted.StatusClass != 0) return false;
                if (scripted.Transit && scripted.NextStage == FullFeaturePhase)
                {
                    connection.StartFullFeaturePhase(expCmdSn, maxCmdSn, statSn, headerDigest: false, dataDigest: false);
                    return true;
                }
                continue;
            }
            if (settings.RefuseStatusClass != 0)
            {
                if (settings.RedirectTo is { } address) response.Add("TargetAddress", address);
                await SendAsync(connection, request, new LoginResponse
                {
                    CurrentStage = request.CurrentStage, StatSn = statSn, ExpCmdSn = expCmdSn, MaxCmdSn = maxCmdSn,
                    StatusClass = settings.RefuseStatusClass, StatusDetail = settings.RefuseStatusDetail,
                }, response).ConfigureAwait(false);
                return false;
            }

            foreach (var pair in keys.Pairs) Answer(pair.Key, pair.Value, settings, response);
            bool done = request.Transit && request.NextStage == FullFeaturePhase;
            await SendAsync(connection, request, new LoginResponse
            {
                Transit = request.Transit, CurrentStage = request.CurrentStage, NextStage = request.Transit ? request.NextStage : (byte)0,
                Tsih = done ? settings.Tsih : (ushort)0, StatSn = statSn++, ExpCmdSn = expCmdSn, MaxCmdSn = maxCmdSn,
            }, response).ConfigureAwait(false);
            if (done)
            {
                connection.StartFullFeaturePhase(expCmdSn, maxCmdSn, statSn,
                    headerDigest: Agreed(connection, "HeaderDigest"), dataDigest: Agreed(connection, "DataDigest"));
                return true;
            }
        }
        throw new IOException("The login did not finish in 16 exchanges.");
    }

    private static Task SendScriptedAsync(FakeConnection connection, LoginRequest request, FakeLoginReply reply, uint statSn, uint expCmdSn, uint maxCmdSn)
    {
        var bhs = new byte[Bhs.Length];
        new LoginResponse
        {
            Transit = reply.Transit, Continue = reply.Continue, CurrentStage = reply.CurrentStage, NextStage = reply.NextStage,
            StatusClass = reply.StatusClass, StatusDetail = reply.StatusDetail, Tsih = reply.Transit && reply.NextStage == FullFeaturePhase ? connection.Settings.Tsih : (ushort)0,
            Isid = request.Isid, InitiatorTaskTag = request.InitiatorTaskTag, StatSn = statSn, ExpCmdSn = expCmdSn, MaxCmdSn = maxCmdSn,
            DataSegmentLength = reply.Data.Length,
        }.WriteTo(bhs);
        return connection.SendPduAsync(bhs, reply.Data);
    }

    private static bool Agreed(FakeConnection connection, string key) =>
        connection.LastAnswer.TryGetValue(key, out var value) && value == "CRC32C";

    private static Task SendAsync(FakeConnection connection, LoginRequest request, LoginResponse template, TextKeyValues keys)
    {
        foreach (var pair in keys.Pairs) connection.LastAnswer[pair.Key] = pair.Value;
        byte[] data = keys.Count == 0 ? [] : keys.Encode();
        var bhs = new byte[Bhs.Length];
        (template with { Isid = request.Isid, InitiatorTaskTag = request.InitiatorTaskTag, DataSegmentLength = data.Length }).WriteTo(bhs);
        return connection.SendPduAsync(bhs, data);
    }

    /// <summary>Our answer to one offered key, or nothing for declarations that need none.</summary>
    private static void Answer(string key, string offer, FakeTargetSettings s, TextKeyValues response)
    {
        switch (key)
        {
            case "InitiatorName" or "InitiatorAlias" or "SessionType" or "TargetName":
                return;
            case "AuthMethod":
                response.Add(key, "None");
                response.Add("TargetPortalGroupTag", "1");
                return;
            case "HeaderDigest":
                response.Add(key, s.HeaderDigest && offer.Split(',').Contains("CRC32C") ? "CRC32C" : "None");
                return;
            case "DataDigest":
                response.Add(key, s.DataDigest && offer.Split(',').Contains("CRC32C") ? "CRC32C" : "None");
                return;
            case "MaxRecvDataSegmentLength":
                // Declarative: the initiator's value binds us; we declare our own.
                response.Add(key, Number(s.MaxRecvDataSegmentLength));
                return;
            case "MaxBurstLength":
                response.Add(key, Number(Math.Min(s.MaxBurstLength, long.Parse(offer, CultureInfo.InvariantCulture))));
                return;
            case "FirstBurstLength":
                response.Add(key, Number(Math.Min(s.FirstBurstLength, long.Parse(offer, CultureInfo.InvariantCulture))));
                return;
            case "ImmediateData":
                response.Add(key, Bool(offer == "Yes" && s.ImmediateData));
                return;
            case "InitialR2T":
                response.Add(key, Bool(offer == "Yes" || s.InitialR2T));
                return;
            case "DataPDUInOrder":
                response.Add(key, Bool(offer == "Yes" || s.DataPduInOrder));
                return;
            case "MaxConnections" or "DataSequenceInOrder" or "DefaultTime2Wait" or "DefaultTime2Retain"
                or "MaxOutstandingR2T" or "ErrorRecoveryLevel":
                response.Add(key, offer); // echoing an offer is a valid answer under every result function
                return;
            default:
                response.Add(key, "NotUnderstood");
                return;
        }
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
    private static string Bool(bool value) => value ? "Yes" : "No";
}
