PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE runs (
    run_id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    plan_json TEXT NOT NULL,
    manifest_json TEXT NOT NULL
);
INSERT INTO runs VALUES('20261130-045944-7904f5','2026-11-30T04:59:44.329+00:00','2026-11-30T04:59:44.985+00:00','finished','fake','{"endpoint":{"api_key_env":null,"backoff_base_s":1.0,"backoff_max_s":60.0,"base_url":"http://127.0.0.1:46719/v1","concurrency":1,"connect_timeout_s":10.0,"extra_body":{},"kind":"openai-compatible","launch":null,"max_attempts":1,"model":"fake-model","name":"fake","notes":"","omit_params":[],"price":{"cached_input_per_mtok":null,"gpu_hour_usd":null,"input_per_mtok":1.0,"output_per_mtok":2.0,"output_tokens_per_s":null,"source":"test","utilization":1.0},"response_format":"json_schema","sampling":{"max_tokens":1024,"seed":null,"temperature":0.0,"top_p":null},"stream":false,"tier":"hosted","timeout_s":120.0},"limit":null,"repeats":1,"suites":["tickets"],"use_cache":true}','{"argv":["evalkit","run","--suite","tickets","--endpoint","fake"],"endpoint":{"api_key_env":null,"backoff_base_s":1.0,"backoff_max_s":60.0,"base_url":"http://127.0.0.1:46719/v1","concurrency":1,"connect_timeout_s":10.0,"extra_body":{},"kind":"openai-compatible","launch":null,"max_attempts":1,"model":"fake-model","name":"fake","notes":"","omit_params":[],"price":{"cached_input_per_mtok":null,"gpu_hour_usd":null,"input_per_mtok":1.0,"output_per_mtok":2.0,"output_tokens_per_s":null,"source":"test","utilization":1.0},"response_format":"json_schema","sampling":{"max_tokens":1024,"seed":null,"temperature":0.0,"top_p":null},"stream":false,"tier":"hosted","timeout_s":120.0},"evalkit_version":"0.1.0","git":null,"packages":{"anthropic":"2.14.0","evalkit":"0.1.0","llama_cpp_python":"0.3.36","openai":"3.57.0"},"platform":"Linux-6.18.44-fc-v657-x86_64-with-glibc2.36","python":"3.11.7","server":{"base_url":"http://127.0.0.1:46719/v1/","models":["fake-model"]},"sessions":[{"cache_hits":0,"finished_at":"2026-11-30T04:59:44.984+00:00","infra_errors":1,"pending":5,"started_at":"2026-11-30T04:59:44.336+00:00"}],"suites":[{"cases_planned":5,"cases_total":5,"category":"classification","hash":"5e78291302aebea45edb89e09aed1bde14b6f543d3f466a8f038a3c8fcad9ce6","name":"tickets","path":"suites/tickets.yaml","version":"1"}]}');
CREATE TABLE suites (
    run_id TEXT NOT NULL,
    suite TEXT NOT NULL,
    ordinal INTEGER NOT NULL,
    category TEXT NOT NULL,
    hash TEXT NOT NULL,
    definition_json TEXT NOT NULL,
    assets_json TEXT NOT NULL,
    PRIMARY KEY (run_id, suite)
);
INSERT INTO suites VALUES('20261130-045944-7904f5','tickets',0,'classification','5e78291302aebea45edb89e09aed1bde14b6f543d3f466a8f038a3c8fcad9ce6','{"cases":{"adversarial":null,"golden":null,"sources":[],"use_default_files":true},"category":"classification","description":"","gate":{"non_inferiority_margin":0.03},"name":"tickets","output_schema":null,"primary_metric":"macro_f1","prompt":{"system":"Label the ticket.","user":"Ticket: {{ ticket }}"},"request":{"max_tokens":16,"seed":null,"temperature":0.0,"top_p":null},"scorer":{"labels":["refund","other"]},"tool_choice":null,"tools":[],"version":"1"}','{}');
CREATE TABLE cases (
    run_id TEXT NOT NULL,
    suite TEXT NOT NULL,
    case_id TEXT NOT NULL,
    ordinal INTEGER NOT NULL,
    split TEXT NOT NULL,
    case_json TEXT NOT NULL,
    PRIMARY KEY (run_id, suite, case_id)
);
INSERT INTO cases VALUES('20261130-045944-7904f5','tickets','tickets-g-000',0,'golden','{"cluster":null,"expected":{"label":"refund"},"followup_turns":[],"id":"tickets-g-000","input":{"ticket":"golden ticket 0"},"prior_turns":[],"split":"golden","tags":[]}');
INSERT INTO cases VALUES('20261130-045944-7904f5','tickets','tickets-g-001',1,'golden','{"cluster":null,"expected":{"label":"refund"},"followup_turns":[],"id":"tickets-g-001","input":{"ticket":"golden ticket 1"},"prior_turns":[],"split":"golden","tags":[]}');
INSERT INTO cases VALUES('20261130-045944-7904f5','tickets','tickets-g-002',2,'golden','{"cluster":null,"expected":{"label":"refund"},"followup_turns":[],"id":"tickets-g-002","input":{"ticket":"golden ticket 2"},"prior_turns":[],"split":"golden","tags":[]}');
INSERT INTO cases VALUES('20261130-045944-7904f5','tickets','tickets-g-003',3,'golden','{"cluster":null,"expected":{"label":"refund"},"followup_turns":[],"id":"tickets-g-003","input":{"ticket":"golden ticket 3"},"prior_turns":[],"split":"golden","tags":[]}');
INSERT INTO cases VALUES('20261130-045944-7904f5','tickets','tickets-g-004',4,'golden','{"cluster":null,"expected":{"label":"refund"},"followup_turns":[],"id":"tickets-g-004","input":{"ticket":"golden ticket 4"},"prior_turns":[],"split":"golden","tags":[]}');
CREATE TABLE results (
    run_id TEXT NOT NULL,
    suite TEXT NOT NULL,
    case_id TEXT NOT NULL,
    repeat INTEGER NOT NULL,
    status TEXT NOT NULL,
    error_kind TEXT,
    error_message TEXT,
    attempts INTEGER NOT NULL,
    cache_hit INTEGER NOT NULL,
    latency_s REAL,
    ttft_s REAL,
    input_tokens INTEGER NOT NULL,
    cached_input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    cost_usd REAL NOT NULL,
    finish_reason TEXT,
    model TEXT,
    system_fingerprint TEXT,
    request_id TEXT,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    request_json TEXT NOT NULL,
    response_json TEXT,
    raw_json TEXT,
    PRIMARY KEY (run_id, suite, case_id, repeat)
);
INSERT INTO results VALUES('20261130-045944-7904f5','tickets','tickets-g-000',0,'ok',NULL,NULL,1,0,0.061401180999951066041,NULL,11,0,7,2.5000000000000001196e-05,'stop','fake-model','fp_test','req_fake','2026-11-30T04:59:44.731+00:00','2026-11-30T04:59:44.793+00:00','{"max_tokens":16,"messages":[{"content":"Label the ticket.","is_error":false,"role":"system","tool_call_id":null,"tool_calls":[]},{"content":"Ticket: golden ticket 0","is_error":false,"role":"user","tool_call_id":null,"tool_calls":[]}],"response_schema":null,"seed":null,"temperature":0.0,"tool_choice":null,"tools":[],"top_p":null}','{"finish_reason":"stop","latency_s":0.061401180999951066,"model":"fake-model","raw_finish_reason":"stop","request_id":"req_fake","system_fingerprint":"fp_test","text":"refund","tool_calls":[],"ttft_s":null,"usage":{"cached_input_tokens":0,"input_tokens":11,"output_tokens":7}}','{"choices":[{"finish_reason":"stop","index":0,"logprobs":null,"message":{"annotations":null,"audio":null,"content":"refund","function_call":null,"refusal":null,"role":"assistant","tool_calls":null}}],"created":0,"id":"chatcmpl-1","metadata":null,"model":"fake-model","moderation":null,"object":"chat.completion","service_tier":null,"system_fingerprint":"fp_test","usage":{"completion_tokens":7,"completion_tokens_details":null,"prompt_tokens":11,"prompt_tokens_details":{"audio_tokens":null,"cache_write_tokens":null,"cached_tokens":0,"image_tokens":null,"text_tokens":null},"total_tokens":18}}');
INSERT INTO results VALUES('20261130-045944-7904f5','tickets','tickets-g-001',0,'ok',NULL,NULL,1,0,0.044254180999928394157,NULL,11,0,7,2.5000000000000001196e-05,'stop','fake-model','fp_test','req_fake','2026-11-30T04:59:44.794+00:00','2026-11-30T04:59:44.838+00:00','{"max_tokens":16,"messages":[{"content":"Label the ticket.","is_error":false,"role":"system","tool_call_id":null,"tool_calls":[]},{"content":"Ticket: golden ticket 1","is_error":false,"role":"user","tool_call_id":null,"tool_calls":[]}],"response_schema":null,"seed":null,"temperature":0.0,"tool_choice":null,"tools":[],"top_p":null}','{"finish_reason":"stop","latency_s":0.044254180999928394,"model":"fake-model","raw_finish_reason":"stop","request_id":"req_fake","system_fingerprint":"fp_test","text":"refund","tool_calls":[],"ttft_s":null,"usage":{"cached_input_tokens":0,"input_tokens":11,"output_tokens":7}}','{"choices":[{"finish_reason":"stop","index":0,"logprobs":null,"message":{"annotations":null,"audio":null,"content":"refund","function_call":null,"refusal":null,"role":"assistant","tool_calls":null}}],"created":0,"id":"chatcmpl-2","metadata":null,"model":"fake-model","moderation":null,"object":"chat.completion","service_tier":null,"system_fingerprint":"fp_test","usage":{"completion_tokens":7,"completion_tokens_details":null,"prompt_tokens":11,"prompt_tokens_details":{"audio_tokens":null,"cache_write_tokens":null,"cached_tokens":0,"image_tokens":null,"text_tokens":null},"total_tokens":18}}');
INSERT INTO results VALUES('20261130-045944-7904f5','tickets','tickets-g-002',0,'ok',NULL,NULL,1,0,0.047446248000028390379,NULL,11,0,7,2.5000000000000001196e-05,'stop','fake-model','fp_test','req_fake','2026-11-30T04:59:44.838+00:00','2026-11-30T04:59:44.886+00:00','{"max_tokens":16,"messages":[{"content":"Label the ticket.","is_error":false,"role":"system","tool_call_id":null,"tool_calls":[]},{"content":"Ticket: golden ticket 2","is_error":false,"role":"user","tool_call_id":null,"tool_calls":[]}],"response_schema":null,"seed":null,"temperature":0.0,"tool_choice":null,"tools":[],"top_p":null}','{"finish_reason":"stop","latency_s":0.04744624800002839,"model":"fake-model","raw_finish_reason":"stop","request_id":"req_fake","system_fingerprint":"fp_test","text":"other","tool_calls":[],"ttft_s":null,"usage":{"cached_input_tokens":0,"input_tokens":11,"output_tokens":7}}','{"choices":[{"finish_reason":"stop","index":0,"logprobs":null,"message":{"annotations":null,"audio":null,"content":"other","function_call":null,"refusal":null,"role":"assistant","tool_calls":null}}],"created":0,"id":"chatcmpl-3","metadata":null,"model":"fake-model","moderation":null,"object":"chat.completion","service_tier":null,"system_fingerprint":"fp_test","usage":{"completion_tokens":7,"completion_tokens_details":null,"prompt_tokens":11,"prompt_tokens_details":{"audio_tokens":null,"cache_write_tokens":null,"cached_tokens":0,"image_tokens":null,"text_tokens":null},"total_tokens":18}}');
INSERT INTO results VALUES('20261130-045944-7904f5','tickets','tickets-g-003',0,'ok',NULL,NULL,1,0,0.047764816999915638007,NULL,11,0,7,2.5000000000000001196e-05,'length','fake-model','fp_test','req_fake','2026-11-30T04:59:44.886+00:00','2026-11-30T04:59:44.934+00:00','{"max_tokens":16,"messages":[{"content":"Label the ticket.","is_error":false,"role":"system","tool_call_id":null,"tool_calls":[]},{"content":"Ticket: golden ticket 3","is_error":false,"role":"user","tool_call_id":null,"tool_calls":[]}],"response_schema":null,"seed":null,"temperature":0.0,"tool_choice":null,"tools":[],"top_p":null}','{"finish_reason":"length","latency_s":0.04776481699991564,"model":"fake-model","raw_finish_reason":"length","request_id":"req_fake","system_fingerprint":"fp_test","text":"refu","tool_calls":[],"ttft_s":null,"usage":{"cached_input_tokens":0,"input_tokens":11,"output_tokens":7}}','{"choices":[{"finish_reason":"length","index":0,"logprobs":null,"message":{"annotations":null,"audio":null,"content":"refu","function_call":null,"refusal":null,"role":"assistant","tool_calls":null}}],"created":0,"id":"chatcmpl-4","metadata":null,"model":"fake-model","moderation":null,"object":"chat.completion","service_tier":null,"system_fingerprint":"fp_test","usage":{"completion_tokens":7,"completion_tokens_details":null,"prompt_tokens":11,"prompt_tokens_details":{"audio_tokens":null,"cache_write_tokens":null,"cached_tokens":0,"image_tokens":null,"text_tokens":null},"total_tokens":18}}');
INSERT INTO results VALUES('20261130-045944-7904f5','tickets','tickets-g-004',0,'infra_error','server','server HTTP 500: scripted HTTP 500',1,0,NULL,NULL,0,0,0,0.0,NULL,NULL,NULL,NULL,'2026-11-30T04:59:44.934+00:00','2026-11-30T04:59:44.982+00:00','{"max_tokens":16,"messages":[{"content":"Label the ticket.","is_error":false,"role":"system","tool_call_id":null,"tool_calls":[]},{"content":"Ticket: golden ticket 4","is_error":false,"role":"user","tool_call_id":null,"tool_calls":[]}],"response_schema":null,"seed":null,"temperature":0.0,"tool_choice":null,"tools":[],"top_p":null}',NULL,NULL);
CREATE TABLE scores (
    run_id TEXT NOT NULL,
    suite TEXT NOT NULL,
    case_id TEXT NOT NULL,
    repeat INTEGER NOT NULL,
    resolved INTEGER,
    detail_json TEXT NOT NULL,
    scored_at TEXT NOT NULL,
    PRIMARY KEY (run_id, suite, case_id, repeat)
);
INSERT INTO scores VALUES('20261130-045944-7904f5','tickets','tickets-g-000',0,1,'{"expected":"refund","format_deviation":false,"invalid":false,"parse":"exact","predicted":"refund"}','2026-11-30T04:59:44.794+00:00');
INSERT INTO scores VALUES('20261130-045944-7904f5','tickets','tickets-g-001',0,1,'{"expected":"refund","format_deviation":false,"invalid":false,"parse":"exact","predicted":"refund"}','2026-11-30T04:59:44.839+00:00');
INSERT INTO scores VALUES('20261130-045944-7904f5','tickets','tickets-g-002',0,0,'{"expected":"refund","format_deviation":false,"invalid":false,"parse":"exact","predicted":"other"}','2026-11-30T04:59:44.887+00:00');
INSERT INTO scores VALUES('20261130-045944-7904f5','tickets','tickets-g-003',0,0,'{"expected":"refund","format_deviation":false,"invalid":true,"parse":"invalid","predicted":"<invalid>"}','2026-11-30T04:59:44.935+00:00');
CREATE TABLE response_cache (
    key TEXT PRIMARY KEY,
    identity_json TEXT NOT NULL,
    response_json TEXT NOT NULL,
    raw_json TEXT,
    created_at TEXT NOT NULL
);
INSERT INTO response_cache VALUES('f7ed20479e567cea9df3973c9a75665556b89baaa1037141157ce0d165eea2b2','{"base_url":"http://127.0.0.1:46719/v1","kind":"openai-compatible","model":"fake-model"}','{"finish_reason":"stop","latency_s":0.061401180999951066,"model":"fake-model","raw_finish_reason":"stop","request_id":"req_fake","system_fingerprint":"fp_test","text":"refund","tool_calls":[],"ttft_s":null,"usage":{"cached_input_tokens":0,"input_tokens":11,"output_tokens":7}}','{"choices":[{"finish_reason":"stop","index":0,"logprobs":null,"message":{"annotations":null,"audio":null,"content":"refund","function_call":null,"refusal":null,"role":"assistant","tool_calls":null}}],"created":0,"id":"chatcmpl-1","metadata":null,"model":"fake-model","moderation":null,"object":"chat.completion","service_tier":null,"system_fingerprint":"fp_test","usage":{"completion_tokens":7,"completion_tokens_details":null,"prompt_tokens":11,"prompt_tokens_details":{"audio_tokens":null,"cache_write_tokens":null,"cached_tokens":0,"image_tokens":null,"text_tokens":null},"total_tokens":18}}','2026-11-30T04:59:44.793+00:00');
INSERT INTO response_cache VALUES('dab4180fb6f60b2a705d442c54fa97ea29dac2ba44c275e95ddf027baf7af231','{"base_url":"http://127.0.0.1:46719/v1","kind":"openai-compatible","model":"fake-model"}','{"finish_reason":"stop","latency_s":0.044254180999928394,"model":"fake-model","raw_finish_reason":"stop","request_id":"req_fake","system_fingerprint":"fp_test","text":"refund","tool_calls":[],"ttft_s":null,"usage":{"cached_input_tokens":0,"input_tokens":11,"output_tokens":7}}','{"choices":[{"finish_reason":"stop","index":0,"logprobs":null,"message":{"annotations":null,"audio":null,"content":"refund","function_call":null,"refusal":null,"role":"assistant","tool_calls":null}}],"created":0,"id":"chatcmpl-2","metadata":null,"model":"fake-model","moderation":null,"object":"chat.completion","service_tier":null,"system_fingerprint":"fp_test","usage":{"completion_tokens":7,"completion_tokens_details":null,"prompt_tokens":11,"prompt_tokens_details":{"audio_tokens":null,"cache_write_tokens":null,"cached_tokens":0,"image_tokens":null,"text_tokens":null},"total_tokens":18}}','2026-11-30T04:59:44.839+00:00');
INSERT INTO response_cache VALUES('c32442d4533c1f8cb14f59eeb2239e4720af23a8e0804d8dbec55f39e6ad2503','{"base_url":"http://127.0.0.1:46719/v1","kind":"openai-compatible","model":"fake-model"}','{"finish_reason":"stop","latency_s":0.04744624800002839,"model":"fake-model","raw_finish_reason":"stop","request_id":"req_fake","system_fingerprint":"fp_test","text":"other","tool_calls":[],"ttft_s":null,"usage":{"cached_input_tokens":0,"input_tokens":11,"output_tokens":7}}','{"choices":[{"finish_reason":"stop","index":0,"logprobs":null,"message":{"annotations":null,"audio":null,"content":"other","function_call":null,"refusal":null,"role":"assistant","tool_calls":null}}],"created":0,"id":"chatcmpl-3","metadata":null,"model":"fake-model","moderation":null,"object":"chat.completion","service_tier":null,"system_fingerprint":"fp_test","usage":{"completion_tokens":7,"completion_tokens_details":null,"prompt_tokens":11,"prompt_tokens_details":{"audio_tokens":null,"cache_write_tokens":null,"cached_tokens":0,"image_tokens":null,"text_tokens":null},"total_tokens":18}}','2026-11-30T04:59:44.887+00:00');
INSERT INTO response_cache VALUES('f05de99144ada01aff53361d07145e868223d3c80af5d21c8ae12c5ec83dc3a2','{"base_url":"http://127.0.0.1:46719/v1","kind":"openai-compatible","model":"fake-model"}','{"finish_reason":"length","latency_s":0.04776481699991564,"model":"fake-model","raw_finish_reason":"length","request_id":"req_fake","system_fingerprint":"fp_test","text":"refu","tool_calls":[],"ttft_s":null,"usage":{"cached_input_tokens":0,"input_tokens":11,"output_tokens":7}}','{"choices":[{"finish_reason":"length","index":0,"logprobs":null,"message":{"annotations":null,"audio":null,"content":"refu","function_call":null,"refusal":null,"role":"assistant","tool_calls":null}}],"created":0,"id":"chatcmpl-4","metadata":null,"model":"fake-model","moderation":null,"object":"chat.completion","service_tier":null,"system_fingerprint":"fp_test","usage":{"completion_tokens":7,"completion_tokens_details":null,"prompt_tokens":11,"prompt_tokens_details":{"audio_tokens":null,"cache_write_tokens":null,"cached_tokens":0,"image_tokens":null,"text_tokens":null},"total_tokens":18}}','2026-11-30T04:59:44.935+00:00');
CREATE TABLE judgements (
    run_id TEXT NOT NULL,
    suite TEXT NOT NULL,
    case_id TEXT NOT NULL,
    repeat INTEGER NOT NULL,
    judge TEXT NOT NULL,
    status TEXT NOT NULL,
    fidelity INTEGER,
    detail_json TEXT NOT NULL,
    input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    cost_usd REAL NOT NULL,
    latency_s REAL,
    judged_at TEXT NOT NULL,
    PRIMARY KEY (run_id, suite, case_id, repeat, judge)
);
COMMIT;
