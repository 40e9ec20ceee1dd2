#!/usr/bin/env escript
%% -*- erlang -*-
%%! +A 1
%% A scriptable Gy online charging server on Erlang/OTP's own diameter application, for SigScaleGyIT: the pieces
%% SigScale OCS 3.4.72 does not do (Final-Unit-Indication, Validity-Time, a Re-Auth-Request or Abort-Session-Request on
%% demand). The codec is OTP's, driven by SigScale's TS 32.299 Ro dictionary (3gpp_ro_application.dia, compiled by
%% OTP's diameter_make at start), with the base protocol's ASR/ASA (RFC 6733 8.5) added to its messages so that
%% they carry Gy's application id 4.
%%
%% Usage: gy-ocs.escript RO_DIA PORT ORIGIN_HOST ORIGIN_REALM
%% stdin, one command a line:
%%   policy GRANT VALIDITY FUI   grant GRANT octets per CCR-I/U; Validity-Time VALIDITY s on the CCR-I's grant
%%                               (0 = none); FUI 1 = every grant is the final one (Final-Unit-Action TERMINATE)
%%   rar SESSION-ID | asr SESSION-ID   send a Re-Auth-Request (AUTHORIZE_ONLY) / Abort-Session-Request to the client
%%   rar-on-update               on the next CCR-U, send the client a Re-Auth-Request for its session and await
%%                               the RAA before answering the CCR-U (an RAR-CCR collision, RFC 4006 5.5)
%%   quit
%% stdout: "ready", "peer_up HOST", "CCR type=T number=N reason=R used=U sid=S" for each CCR (R = Reporting-Reason
%% of the MSCC or its USU, - if none; U = CC-Total-Octets, or input + output, of the USU, - if none; T = when, ms),
%% "RAA result=C sid=S", "ASA result=C sid=S", "error ...".
-mode(compile).
-include_lib("diameter/include/diameter.hrl").
-export([peer_up/3, peer_down/3, pick_peer/4, prepare_request/3, prepare_retransmit/3, handle_answer/4,
		handle_error/4, handle_request/3]).

main([Dia, Port, Host, Realm]) ->
	ok = compile_dictionary(Dia),
	ok = diameter:start(),
	ets:new(gyocs, [named_table, public]),
	ets:insert(gyocs, {policy, {10485760, 0, false}}),
	ok = diameter:start_service(gyocs, [{'Origin-Host', Host}, {'Origin-Realm', Realm}, {'Vendor-Id', 0},
			{'Product-Name', "gy-ocs.escript (OTP diameter)"}, {'Auth-Application-Id', [4]},
			{decode_format, map}, {string_decode, false},
			{application, [{alias, gy}, {dictionary, gy_ocs_ro}, {module, ?MODULE}]}]),
	{ok, _} = diameter:add_transport(gyocs, {listen, [{transport_module, diameter_tcp},
			{transport_config, [{reuseaddr, true}, {ip, {127,0,0,1}}, {port, list_to_integer(Port)}]}]}),
	out("ready"),
	loop(Host, Realm).

%% SigScale's Ro dictionary, renamed, with ASR/ASA added: OTP compiles and loads it.
compile_dictionary(Dia) ->
	{ok, Text} = file:read_file(Dia),
	T1 = re:replace(Text, "@name\\s+diameter_gen_3gpp_ro_application", "@name gy_ocs_ro", [{return, binary}]),
	T2 = re:replace(T1, "@prefix\\s+3gpp_ro", "@prefix gy_ocs_ro", [{return, binary}]),
	Asr = <<"@messages\n"
		"   ASR ::= < Diameter Header: 274, REQ, PXY >\n      < Session-Id >\n      { Origin-Host }\n"
		"      { Origin-Realm }\n      { Destination-Realm }\n      { Destination-Host }\n"
		"      { Auth-Application-Id }\n      [ User-Name ]\n      [ Origin-State-Id ]\n"
		"     *[ Proxy-Info ]\n     *[ Route-Record ]\n     *[ AVP ]\n"
		"   ASA ::= < Diameter Header: 274, PXY >\n      < Session-Id >\n      { Result-Code }\n"
		"      { Origin-Host }\n      { Origin-Realm }\n      [ User-Name ]\n      [ Origin-State-Id ]\n"
		"      [ Error-Message ]\n      [ Error-Reporting-Host ]\n      [ Failed-AVP ]\n"
		"     *[ Redirect-Host ]\n      [ Redirect-Host-Usage ]\n      [ Redirect-Max-Cache-Time ]\n"
		"     *[ Proxy-Info ]\n     *[ AVP ]\n">>,
	T3 = re:replace(T2, "@messages\\s*\n", Asr, [{return, binary}]),
	Dir = filename:join(os:getenv("TMPDIR", "/tmp"), "gy-ocs-" ++ os:getpid()),
	ok = filelib:ensure_dir(filename:join(Dir, "x")),
	ok = diameter_make:codec(T3, [{outdir, Dir}, erl, {name, "gy_ocs_ro"}]),
	{ok, Mod, Bin} = compile:file(filename:join(Dir, "gy_ocs_ro.erl"), [binary, report_errors]),
	{module, Mod} = code:load_binary(Mod, "gy_ocs_ro.erl", Bin),
	file:delete(filename:join(Dir, "gy_ocs_ro.erl")), file:del_dir(Dir),
	ok.

loop(Host, Realm) ->
	case io:get_line("") of
		eof -> halt(0);
		{error, _} -> halt(0);
		Line ->
			case string:lexemes(string:trim(Line), " ") of
				["policy", G, V, F] ->
					ets:insert(gyocs, {policy, {list_to_integer(G), list_to_integer(V), F == "1"}}),
					out("policy set");
				["rar-on-update"] ->
					ets:insert(gyocs, {rar_on_update, Host, Realm}),
					out("rar-on-update set");
				["rar", Sid] -> spawn(fun() -> rar(Sid, Host, Realm) end);
				["asr", Sid] -> spawn(fun() -> asr(Sid, Host, Realm) end);
				["quit"] -> halt(0);
				Other -> out(io_lib:format("error unknown command ~p", [Other]))
			end,
			loop(Host, Realm)
	end.

client(Sid) ->
	[{_, {H, R}}] = ets:lookup(gyocs, {client, list_to_binary(Sid)}), {H, R}.

rar(Sid, Host, Realm) ->
	{DH, DR} = client(Sid),
	R = diameter:call(gyocs, gy, ['RAR', {'Session-Id', Sid}, {'Origin-Host', Host}, {'Origin-Realm', Realm},
			{'Destination-Realm', DR}, {'Destination-Host', DH}, {'Auth-Application-Id', 4},
			{'Re-Auth-Request-Type', 0}], []),
	out(io_lib:format("RAA result=~s sid=~s", [result(R), Sid])).

asr(Sid, Host, Realm) ->
	{DH, DR} = client(Sid),
	R = diameter:call(gyocs, gy, ['ASR', {'Session-Id', Sid}, {'Origin-Host', Host}, {'Origin-Realm', Realm},
			{'Destination-Realm', DR}, {'Destination-Host', DH}, {'Auth-Application-Id', 4}], []),
	out(io_lib:format("ASA result=~s sid=~s", [result(R), Sid])).

result([_ | #{'Result-Code' := C}]) -> integer_to_list(C);
result(Other) -> lists:flatten(io_lib:format("~0p", [Other])).

out(Text) -> io:format("~s~n", [Text]).

%% ---------------------------------------------------------------- diameter callbacks

peer_up(_Svc, {_, Caps}, State) ->
	#diameter_caps{origin_host = {_, H}} = Caps,
	out(["peer_up ", H]), State.
peer_down(_Svc, _Peer, State) -> out("peer_down"), State.
pick_peer([Peer | _], _, _Svc, _Extra) -> {ok, Peer};
pick_peer([], _, _Svc, _Extra) -> false.
prepare_request(Pkt, _Svc, _Peer) -> {send, Pkt}.
prepare_retransmit(Pkt, _Svc, _Peer) -> {send, Pkt}.
handle_answer(#diameter_packet{msg = Msg}, _Req, _Svc, _Peer) -> Msg.
handle_error(Reason, _Req, _Svc, _Peer) -> {error, Reason}.

handle_request(#diameter_packet{msg = ['CCR' | Ccr]}, _Svc, {_, Caps}) ->
	#diameter_caps{origin_host = {OH, _}, origin_realm = {OR, _}} = Caps,
	#{'Session-Id' := Sid, 'CC-Request-Type' := Type, 'CC-Request-Number' := N,
			'Origin-Host' := CH, 'Origin-Realm' := CR} = Ccr,
	ets:insert(gyocs, {{client, bin(Sid)}, {bin(CH), bin(CR)}}),
	Msccs = maps:get('Multiple-Services-Credit-Control', Ccr, []),
	{Reason, Used} = usage(Msccs),
	out(io_lib:format("CCR type=~b number=~b reason=~s used=~s t=~b sid=~s",
			[Type, N, Reason, Used, erlang:monotonic_time(millisecond), bin(Sid)])),
	case Type == 2 andalso ets:take(gyocs, rar_on_update) of
		[{rar_on_update, Host, Realm}] -> rar(binary_to_list(bin(Sid)), Host, Realm); % the CCR-U waits for the RAA
		_ -> ok
	end,
	[{policy, {Grant, Validity, Fui}}] = ets:lookup(gyocs, policy),
	Answer = #{'Session-Id' => Sid, 'Result-Code' => 2001, 'Origin-Host' => OH, 'Origin-Realm' => OR,
			'Auth-Application-Id' => 4, 'CC-Request-Type' => Type, 'CC-Request-Number' => N},
	Credit = [grant(M, Type, Grant, Validity, Fui) || M <- Msccs, Type =/= 3],
	{reply, ['CCA' | Answer#{'Multiple-Services-Credit-Control' => Credit}]};
handle_request(#diameter_packet{msg = Msg}, _Svc, _Peer) ->
	out(io_lib:format("error unexpected request ~0p", [Msg])),
	{answer_message, 3001}.

grant(Mscc, Type, Grant, Validity, Fui) ->
	G = #{'Granted-Service-Unit' => [#{'CC-Total-Octets' => [Grant]}], 'Result-Code' => [2001],
			'Rating-Group' => maps:get('Rating-Group', Mscc, [])},
	G1 = case Validity > 0 andalso Type == 1 of
		true -> G#{'Validity-Time' => [Validity]};
		false -> G
	end,
	case Fui of
		true -> G1#{'Final-Unit-Indication' => [#{'Final-Unit-Action' => 0}]};
		false -> G1
	end.

%% Reporting-Reason and the used octets of the MSCCs.
usage(Msccs) ->
	Reasons = lists:append([opt('Reporting-Reason', M) ++
			lists:append([opt('Reporting-Reason', U) || U <- opt('Used-Service-Unit', M)]) || M <- Msccs]),
	Usus = lists:append([opt('Used-Service-Unit', M) || M <- Msccs]),
	Used = [octets(U) || U <- Usus],
	{case Reasons of [] -> "-"; _ -> string:join([integer_to_list(R) || R <- Reasons], ",") end,
	 case Used of [] -> "-"; _ -> integer_to_list(lists:sum(Used)) end}.

octets(Usu) ->
	case opt('CC-Total-Octets', Usu) of
		[T] -> T;
		[] -> lists:sum(opt('CC-Input-Octets', Usu) ++ opt('CC-Output-Octets', Usu))
	end.

opt(Key, Map) ->
	case maps:get(Key, Map, []) of
		L when is_list(L) -> L;
		V -> [V]
	end.

bin(B) when is_binary(B) -> B;
bin(L) when is_list(L) -> list_to_binary(L).
