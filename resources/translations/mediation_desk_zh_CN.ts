<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name></name>
    <message>
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>deleted it</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>changed it</source>
        <translation>修改</translation>
    </message>
    <message>
        <source> (shown for now)</source>
        <translation>（暂定采用）</translation>
    </message>
    <message>
        <source> (must pick)</source>
        <translation>（两边改得不同，须选择）</translation>
    </message>
    <message>
        <source>full</source>
        <translation>全量</translation>
    </message>
    <message>
        <source>incremental</source>
        <translation>增量</translation>
    </message>
    <message>
        <source>receipts only</source>
        <translation>仅回执</translation>
    </message>
    <message>
        <source>Imported before</source>
        <translation>已导入过</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>已拒收</translation>
    </message>
    <message>
        <source>OK, with remarks</source>
        <translation>成功（有提示）</translation>
    </message>
    <message>
        <source>new {count}</source>
        <translation>新建 {count}</translation>
    </message>
    <message>
        <source>updated {count}</source>
        <translation>更新 {count}</translation>
    </message>
    <message>
        <source>unchanged {count}</source>
        <translation>未变 {count}</translation>
    </message>
    <message>
        <source>deleted {count}</source>
        <translation>删除 {count}</translation>
    </message>
    <message>
        <source>conflicts {count}</source>
        <translation>冲突 {count}</translation>
    </message>
    <message>
        <source>refused {count}</source>
        <translation>拒收 {count}</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>没有变化</translation>
    </message>
    <message>
        <source>Sync file written: {file}</source>
        <translation>已写出同步文件：{file}</translation>
    </message>
    <message>
        <source>To: {org}</source>
        <translation>收件方：{org}</translation>
    </message>
    <message>
        <source>Kind: {kind}; {count} revisions</source>
        <translation>类型：{kind}；修订记录 {count} 条</translation>
    </message>
    <message>
        <source>Nothing new (a zero report): the file is still valid, send it as usual.</source>
        <translation>没有新的记录（零上报）：文件照样有效，请照常送出。</translation>
    </message>
    <message>
        <source>{receipts} receipts, {certificates} certificates; {size} bytes</source>
        <translation>回执 {receipts} 份，证书 {certificates} 张；文件 {size} 字节</translation>
    </message>
    <message>
        <source>{count} earlier revisions of this desk could not be signed (their key is gone) and were left out.</source>
        <translation>提示：{count} 条本工作台早先的修订因旧密钥已不在钥匙串中而无法签名，未写入文件。</translation>
    </message>
</context>
<context>
    <name>AgreementPanel</name>
    <message>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Verification code</source>
        <translation>验证码</translation>
    </message>
    <message>
        <source>In force since</source>
        <translation>生效日期</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>No agreement yet. Write its terms in the Outcome tab once mediation has reached one.</source>
        <translation>还没有协议书。调解达成协议后，在“调解结果与协议”页填写协议条款。</translation>
    </message>
    <message>
        <source>Pre&amp;view…</source>
        <translation>预览(&amp;V)…</translation>
    </message>
    <message>
        <source>&amp;Print for signing…</source>
        <translation>打印签署文本(&amp;P)…</translation>
    </message>
    <message>
        <source>Mark &amp;signed…</source>
        <translation>登记签署(&amp;S)…</translation>
    </message>
    <message>
        <source>V&amp;oid…</source>
        <translation>作废(&amp;O)…</translation>
    </message>
    <message>
        <source>Void and &amp;reissue…</source>
        <translation>作废并重新出具(&amp;R)…</translation>
    </message>
    <message>
        <source>Attach s&amp;can…</source>
        <translation>附签署件扫描(&amp;C)…</translation>
    </message>
    <message>
        <source>Save as P&amp;DF…</source>
        <translation>另存为 PDF(&amp;D)…</translation>
    </message>
    <message>
        <source>oral agreement</source>
        <translation>口头协议</translation>
    </message>
    <message>
        <source>replaces {number}</source>
        <translation>取代 {number}</translation>
    </message>
    <message>
        <source>replaced by {number}</source>
        <translation>已由 {number} 取代</translation>
    </message>
    <message>
        <source>void: {reason}</source>
        <translation>作废原因：{reason}</translation>
    </message>
    <message>
        <source>signed scan attached</source>
        <translation>已附签署件扫描</translation>
    </message>
    <message>
        <source>Select an agreement first.</source>
        <translation>请先选择一份协议书。</translation>
    </message>
    <message>
        <source>The agreement is void: it is kept on file and not printed again.</source>
        <translation>协议书已作废：留档备查，不再打印。</translation>
    </message>
    <message>
        <source>Your role ({role}) may not do this.</source>
        <translation>您的角色（{role}）不能进行此操作。</translation>
    </message>
    <message>
        <source>An oral agreement takes effect when it is reached: print its register with Preview.</source>
        <translation>口头协议自达成时生效：请用“预览”打印口头调解协议登记表。</translation>
    </message>
    <message>
        <source>Signed already: print more copies from Preview.</source>
        <translation>协议书已签署：如需再打印，请用“预览”。</translation>
    </message>
    <message>
        <source>Print the agreement for signing first.</source>
        <translation>请先打印签署文本。</translation>
    </message>
    <message>
        <source>The agreement is {state}.</source>
        <translation>协议书{state}。</translation>
    </message>
    <message>
        <source>A draft is corrected in the Outcome tab; nothing to reissue.</source>
        <translation>草稿在“调解结果与协议”页直接修改，不需要重新出具。</translation>
    </message>
    <message>
        <source>The case is {status}: no new agreement can be issued.</source>
        <translation>案件状态为“{status}”，不能重新出具协议书。</translation>
    </message>
    <message>
        <source>Only the scan of a signed agreement is kept with it.</source>
        <translation>只有已签署生效的协议书才能附签署件扫描。</translation>
    </message>
    <message>
        <source>The scan of the signed agreement</source>
        <translation>选择协议书签署件的扫描文件</translation>
    </message>
    <message>
        <source>Scans (*.pdf *.jpg *.png)</source>
        <translation>扫描文件 (*.pdf *.jpg *.png)</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>Mediation Desk cannot start</source>
        <translation>调解工作台无法启动</translation>
    </message>
    <message>
        <source>Creating the demo county…</source>
        <translation>正在生成示例县的数据……</translation>
    </message>
    <message>
        <source>Mediation Desk</source>
        <translation>调解工作台</translation>
    </message>
    <message>
        <source>Restore a backup</source>
        <translation>恢复备份</translation>
    </message>
    <message>
        <source>Restoring the backup {name}…</source>
        <translation>正在恢复备份 {name}…</translation>
    </message>
    <message>
        <source>The backup {name} was restored. The database as it was before is kept as the backup {safety}.</source>
        <translation>已恢复备份 {name}。恢复前的数据库另存为备份 {safety}。</translation>
    </message>
</context>
<context>
    <name>AssessmentDialog</name>
    <message>
        <source>Yearly assessment of {name}</source>
        <translation>{name} 的年度考核</translation>
    </message>
    <message>
        <source>&amp;Year</source>
        <translation>年度(&amp;Y)</translation>
    </message>
    <message>
        <source>&amp;Grade</source>
        <translation>考核等次(&amp;G)</translation>
    </message>
    <message>
        <source>N&amp;otes</source>
        <translation>备注(&amp;O)</translation>
    </message>
</context>
<context>
    <name>AssignDialog</name>
    <message>
        <source>Assign mediators</source>
        <translation>指派调解员</translation>
    </message>
    <message>
        <source>&amp;Mediators</source>
        <translation>调解员(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Chosen by the parties (otherwise designated by the committee)</source>
        <translation>由当事人选定（否则为调委会指定）(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Date</source>
        <translation>日期(&amp;D)</translation>
    </message>
    <message>
        <source>Tick at least one mediator (add them under Mediators and organisations)</source>
        <translation>请至少勾选一名调解员（调解员在“调解员与组织”中添加）</translation>
    </message>
</context>
<context>
    <name>AttachmentsTab</name>
    <message>
        <source>&amp;Add file…</source>
        <translation>添加文件(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>打开(&amp;O)</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>添加时间</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>No attachments. Add scans, photos or other evidence with “Add file”.</source>
        <translation>没有附件。可用“添加文件”加入扫描件、照片或其他证据。</translation>
    </message>
</context>
<context>
    <name>CaseEditor</name>
    <message>
        <source>Particulars</source>
        <translation>基本情况</translation>
    </message>
    <message>
        <source>Parties</source>
        <translation>当事人</translation>
    </message>
    <message>
        <source>Mediators</source>
        <translation>调解员</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>调查与调解记录</translation>
    </message>
    <message>
        <source>Outcome and agreement</source>
        <translation>调解结果与协议</translation>
    </message>
    <message>
        <source>Agreement papers</source>
        <translation>协议书</translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation>附件</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <source>Save the changes on every tab (Ctrl+S)</source>
        <translation>保存各页的修改（Ctrl+S）</translation>
    </message>
    <message>
        <source>Case {number}</source>
        <translation>案件 {number}</translation>
    </message>
    <message>
        <source>Add a file to the case</source>
        <translation>为案件添加附件</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>未保存</translation>
    </message>
    <message>
        <source>Unsaved changes found</source>
        <translation>发现未保存的修改</translation>
    </message>
    <message>
        <source>Changes to this case were not saved last time. Bring them back?</source>
        <translation>上次对本案的修改没有保存。是否恢复这些内容？</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>修改未保存</translation>
    </message>
    <message>
        <source>The changes to this case have not been saved. Save them now, or discard them?</source>
        <translation>对本案的修改尚未保存。现在保存，还是放弃修改？</translation>
    </message>
</context>
<context>
    <name>CaseForm</name>
    <message>
        <source>Register a case</source>
        <translation>受理登记</translation>
    </message>
    <message>
        <source>Intake</source>
        <translation>受理情况</translation>
    </message>
    <message>
        <source>Intake &amp;date</source>
        <translation>受理日期(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Source</source>
        <translation>案件来源(&amp;S)</translation>
    </message>
    <message>
        <source>e.g. the people&apos;s court or police station</source>
        <translation>如人民法院、派出所</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>请选择……</translation>
    </message>
    <message>
        <source>Dispute &amp;type</source>
        <translation>纠纷类型(&amp;T)</translation>
    </message>
    <message>
        <source>The dispute</source>
        <translation>纠纷情况</translation>
    </message>
    <message>
        <source>Count the parties</source>
        <translation>按当事人人数</translation>
    </message>
    <message>
        <source>&amp;Referred by</source>
        <translation>委托移送单位(&amp;R)</translation>
    </message>
    <message>
        <source>Case t&amp;itle</source>
        <translation>案件名称(&amp;I)</translation>
    </message>
    <message>
        <source>&amp;Place</source>
        <translation>纠纷发生地(&amp;P)</translation>
    </message>
    <message>
        <source>A&amp;mount (yuan)</source>
        <translation>涉及金额（元）(&amp;M)</translation>
    </message>
    <message>
        <source>Perso&amp;ns involved</source>
        <translation>涉及人数(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Group dispute</source>
        <translation>群体性纠纷(&amp;G)</translation>
    </message>
    <message>
        <source>What happened, briefly</source>
        <translation>纠纷的简要经过</translation>
    </message>
    <message>
        <source>&amp;Facts</source>
        <translation>纠纷简要情况(&amp;F)</translation>
    </message>
    <message>
        <source>What the applicant asks for</source>
        <translation>当事人提出的请求</translation>
    </message>
    <message>
        <source>Re&amp;quests</source>
        <translation>申请事项(&amp;Q)</translation>
    </message>
    <message>
        <source>Choose the type of dispute</source>
        <translation>请选择纠纷类型</translation>
    </message>
    <message>
        <source>Name the body that referred the case</source>
        <translation>请填写委托移送单位</translation>
    </message>
    <message>
        <source>Nothing was saved. Please correct the entries marked in red.</source>
        <translation>尚未保存。请先改正标为红色的内容。</translation>
    </message>
    <message>
        <source>Unsaved registration found</source>
        <translation>发现未保存的登记</translation>
    </message>
    <message>
        <source>A case was being registered last time and was not saved. Bring it back?</source>
        <translation>上次有一件案件正在登记，尚未保存。要恢复吗？</translation>
    </message>
    <message>
        <source>Unsaved case</source>
        <translation>案件尚未保存</translation>
    </message>
    <message>
        <source>This case has not been saved. Save it now, or discard what you entered?</source>
        <translation>此案件尚未保存。现在保存，还是放弃已填写的内容？</translation>
    </message>
</context>
<context>
    <name>CaseRules</name>
    <message>
        <source>The case is closed and filed: nothing in it changes.</source>
        <translation>案件已结案归档，不能再修改。</translation>
    </message>
    <message>
        <source>Only a registered case is accepted.</source>
        <translation>只有刚登记的案件才能受理。</translation>
    </message>
    <message>
        <source>Only a registered case can be refused.</source>
        <translation>只有刚登记的案件才能不予受理。</translation>
    </message>
    <message>
        <source>Mediators are assigned once the case is accepted and until it ends.</source>
        <translation>案件受理后、调解结束前才能指派调解员。</translation>
    </message>
    <message>
        <source>No mediator is assigned to step aside.</source>
        <translation>没有可回避的调解员。</translation>
    </message>
    <message>
        <source>Records are added while the case is being mediated.</source>
        <translation>调查和调解记录在调解期间添加。</translation>
    </message>
    <message>
        <source>Mediation has ended already, or the case is not accepted yet.</source>
        <translation>调解已经结束，或案件尚未受理。</translation>
    </message>
    <message>
        <source>Follow-up visits are for cases that reached an agreement.</source>
        <translation>只有达成协议的案件才需要回访。</translation>
    </message>
    <message>
        <source>Only a written agreement can be confirmed by a court.</source>
        <translation>只有书面调解协议才能申请司法确认。</translation>
    </message>
    <message>
        <source>A case is closed once mediation has ended.</source>
        <translation>调解结束后才能结案。</translation>
    </message>
    <message>
        <source>The agreement is written once mediation has reached one.</source>
        <translation>达成协议后才能拟定协议书。</translation>
    </message>
    <message>
        <source>The agreement is {state}: correct it by voiding it and issuing a new one.</source>
        <translation>协议{state}：更正须作废后重新出具。</translation>
    </message>
    <message>
        <source>Your role ({role}) may not do this.</source>
        <translation>您的角色（{role}）无权进行此操作。</translation>
    </message>
</context>
<context>
    <name>CaseTableModel</name>
    <message>
        <source>Case number</source>
        <translation>案号</translation>
    </message>
    <message>
        <source>Intake date</source>
        <translation>受理日期</translation>
    </message>
    <message>
        <source>Committee</source>
        <translation>调委会</translation>
    </message>
    <message>
        <source>Dispute type</source>
        <translation>纠纷类型</translation>
    </message>
    <message>
        <source>Applicants</source>
        <translation>申请人</translation>
    </message>
    <message>
        <source>Respondents</source>
        <translation>被申请人</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Amount involved: {amount} yuan</source>
        <translation>涉及金额：{amount} 元</translation>
    </message>
</context>
<context>
    <name>CaseTabs</name>
    <message>
        <source>Case registered</source>
        <translation>受理登记</translation>
    </message>
    <message>
        <source>Case accepted</source>
        <translation>受理</translation>
    </message>
    <message>
        <source>Case refused</source>
        <translation>不予受理</translation>
    </message>
    <message>
        <source>Mediators assigned</source>
        <translation>指派调解员</translation>
    </message>
    <message>
        <source>Mediator stepped aside</source>
        <translation>调解员回避</translation>
    </message>
    <message>
        <source>Recorder set</source>
        <translation>已设定记录人</translation>
    </message>
    <message>
        <source>Investigation recorded</source>
        <translation>记录调查</translation>
    </message>
    <message>
        <source>Mediation session recorded</source>
        <translation>记录调解</translation>
    </message>
    <message>
        <source>Mediation concluded</source>
        <translation>调解终结</translation>
    </message>
    <message>
        <source>Agreement written</source>
        <translation>已拟定协议</translation>
    </message>
    <message>
        <source>Follow-up visit recorded</source>
        <translation>记录回访</translation>
    </message>
    <message>
        <source>Judicial confirmation recorded</source>
        <translation>记录司法确认</translation>
    </message>
    <message>
        <source>Case closed</source>
        <translation>结案</translation>
    </message>
    <message>
        <source>Case corrected</source>
        <translation>已更正案件</translation>
    </message>
    <message>
        <source>Parties corrected</source>
        <translation>已更正当事人</translation>
    </message>
    <message>
        <source>Attachment added</source>
        <translation>已添加附件</translation>
    </message>
    <message>
        <source>Imported from a ledger</source>
        <translation>从台账导入</translation>
    </message>
    <message>
        <source>Demo data generated</source>
        <translation>生成示例数据</translation>
    </message>
    <message>
        <source>Merged from a sync file</source>
        <translation>从同步文件合并</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>案件</translation>
    </message>
    <message>
        <source>Party</source>
        <translation>当事人</translation>
    </message>
    <message>
        <source>Mediator</source>
        <translation>调解员</translation>
    </message>
    <message>
        <source>Investigation record</source>
        <translation>调查记录</translation>
    </message>
    <message>
        <source>Session record</source>
        <translation>调解记录</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>调解结果</translation>
    </message>
    <message>
        <source>Agreement</source>
        <translation>调解协议</translation>
    </message>
    <message>
        <source>Follow-up visit</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>Judicial confirmation</source>
        <translation>司法确认</translation>
    </message>
    <message>
        <source>Attachment</source>
        <translation>附件</translation>
    </message>
    <message>
        <source>added</source>
        <translation>新增</translation>
    </message>
    <message>
        <source>changed</source>
        <translation>修改</translation>
    </message>
    <message>
        <source>deleted</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>closing date</source>
        <translation>结案日期</translation>
    </message>
    <message>
        <source>intake date</source>
        <translation>受理日期</translation>
    </message>
    <message>
        <source>amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>facts</source>
        <translation>纠纷简要情况</translation>
    </message>
    <message>
        <source>requests</source>
        <translation>申请事项</translation>
    </message>
    <message>
        <source>title</source>
        <translation>案件名称</translation>
    </message>
    <message>
        <source>place</source>
        <translation>纠纷发生地</translation>
    </message>
    <message>
        <source>dispute type</source>
        <translation>纠纷类型</translation>
    </message>
    <message>
        <source>source</source>
        <translation>案件来源</translation>
    </message>
    <message>
        <source>referred by</source>
        <translation>移送单位</translation>
    </message>
    <message>
        <source>persons involved</source>
        <translation>涉及人数</translation>
    </message>
    <message>
        <source>group dispute</source>
        <translation>群体性纠纷</translation>
    </message>
    <message>
        <source>risks</source>
        <translation>风险</translation>
    </message>
    <message>
        <source>recorder</source>
        <translation>记录人</translation>
    </message>
    <message>
        <source>notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>gender</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>birth date</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>address</source>
        <translation>住址</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>agent</source>
        <translation>代理人</translation>
    </message>
    <message>
        <source>agent&apos;s phone</source>
        <translation>代理人电话</translation>
    </message>
    <message>
        <source>role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>performance</source>
        <translation>履行情况</translation>
    </message>
    <message>
        <source>reason for refusal</source>
        <translation>不予受理理由</translation>
    </message>
    <message>
        <source>step-aside</source>
        <translation>回避</translation>
    </message>
    <message>
        <source>terms</source>
        <translation>协议条款</translation>
    </message>
    <message>
        <source>state</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Investigation</source>
        <translation>调查</translation>
    </message>
    <message>
        <source>Mediation session</source>
        <translation>调解</translation>
    </message>
</context>
<context>
    <name>CasesDialog</name>
    <message>
        <source>Cases behind the number</source>
        <translation>数字所计的案件</translation>
    </message>
    <message>
        <source>{org} and the organisations below it</source>
        <translation>{org}及下级组织</translation>
    </message>
    <message>
        <source>{org} itself</source>
        <translation>{org}本级</translation>
    </message>
    <message>
        <source>{scope} — {what}: {count} cases</source>
        <translation>{scope} — {what}：{count} 件</translation>
    </message>
    <message>
        <source>Case number</source>
        <translation>案号</translation>
    </message>
    <message>
        <source>Intake date</source>
        <translation>受理日期</translation>
    </message>
    <message>
        <source>Committee</source>
        <translation>调委会</translation>
    </message>
    <message>
        <source>Dispute type</source>
        <translation>纠纷类型</translation>
    </message>
    <message>
        <source>Applicants</source>
        <translation>申请人</translation>
    </message>
    <message>
        <source>Respondents</source>
        <translation>被申请人</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>调解结果</translation>
    </message>
    <message>
        <source>Amount (yuan)</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <source>Only the first {shown} are listed.</source>
        <translation>只列出前 {shown} 件。</translation>
    </message>
</context>
<context>
    <name>CasesPage</name>
    <message>
        <source>{count} cases match</source>
        <translation>符合条件的案件：{count} 件</translation>
    </message>
    <message>
        <source>{count} cases</source>
        <translation>共 {count} 件案件</translation>
    </message>
    <message>
        <source>No case matches. Change the search or press Esc in the search field to clear it.</source>
        <translation>没有符合条件的案件。请修改搜索条件，或在搜索框中按 Esc 清除。</translation>
    </message>
    <message>
        <source>There are no cases on this desk yet. Press Ctrl+N to register the first one.</source>
        <translation>工作台中还没有案件。按 Ctrl+N 登记第一件。</translation>
    </message>
    <message>
        <source>Export the list to Excel</source>
        <translation>导出列表到 Excel</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Exporting {count} cases…</source>
        <translation>正在导出 {count} 件案件…</translation>
    </message>
    <message>
        <source>{count} cases exported to {file}</source>
        <translation>已将 {count} 件案件导出到 {file}</translation>
    </message>
</context>
<context>
    <name>CloseDialog</name>
    <message>
        <source>Close the case</source>
        <translation>结案</translation>
    </message>
    <message>
        <source>&amp;Closing date</source>
        <translation>结案日期(&amp;C)</translation>
    </message>
</context>
<context>
    <name>ConcludeDialog</name>
    <message>
        <source>Conclude mediation</source>
        <translation>结束调解</translation>
    </message>
    <message>
        <source>&amp;Outcome</source>
        <translation>调解结果(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Date</source>
        <translation>日期(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Amount agreed (yuan)</source>
        <translation>协议金额（元）(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Reason</source>
        <translation>理由(&amp;R)</translation>
    </message>
    <message>
        <source>Why mediation failed or was ended</source>
        <translation>调解不成或终止调解的原因</translation>
    </message>
    <message>
        <source>Say why mediation ended</source>
        <translation>请写明调解结束的原因</translation>
    </message>
</context>
<context>
    <name>ConfirmationDialog</name>
    <message>
        <source>Judicial confirmation</source>
        <translation>司法确认</translation>
    </message>
    <message>
        <source>&amp;Applied on</source>
        <translation>申请日期(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Court</source>
        <translation>人民法院(&amp;C)</translation>
    </message>
    <message>
        <source>e.g. the county&apos;s people&apos;s court</source>
        <translation>例如：缙云县人民法院</translation>
    </message>
    <message>
        <source>The court has &amp;ruled</source>
        <translation>法院已作出裁定(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Date of ruling</source>
        <translation>裁定日期(&amp;D)</translation>
    </message>
    <message>
        <source>Confirmed valid</source>
        <translation>确认有效</translation>
    </message>
    <message>
        <source>Application rejected</source>
        <translation>驳回申请</translation>
    </message>
    <message>
        <source>R&amp;uling</source>
        <translation>裁定结果(&amp;U)</translation>
    </message>
    <message>
        <source>Ruling &amp;number</source>
        <translation>裁定书编号(&amp;N)</translation>
    </message>
    <message>
        <source>Name the court</source>
        <translation>请填写人民法院</translation>
    </message>
</context>
<context>
    <name>ConflictDialog</name>
    <message>
        <source>Review a conflict</source>
        <translation>审核冲突</translation>
    </message>
    <message>
        <source>{record} of case {number}: {label}</source>
        <translation>案件 {number} 的{record}：{label}</translation>
    </message>
    <message>
        <source>Two desks changed this record without seeing each other&apos;s change. For each field pick the value that stands, or take one side whole. Fields in red were changed differently on both sides and must be picked.</source>
        <translation>两个工作台在互不知情时修改了这条记录。请逐个字段选择采用哪一方的值，或整条采用某一方。红色的字段两边改得不同，必须选择。</translation>
    </message>
    <message>
        <source>&amp;Resolve with the chosen values</source>
        <translation>按所选的值解决(&amp;R)</translation>
    </message>
    <message>
        <source>Side {number}: {text}</source>
        <translation>第 {number} 方：{text}</translation>
    </message>
    <message>
        <source>Revision {key}</source>
        <translation>修订编号 {key}</translation>
    </message>
    <message>
        <source>Confirm the deletion</source>
        <translation>确认删除</translation>
    </message>
    <message>
        <source>Take side {number} whole</source>
        <translation>整条采用第 {number} 方</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>原值</translation>
    </message>
    <message>
        <source>Side {number}</source>
        <translation>第 {number} 方</translation>
    </message>
    <message>
        <source>No field differs: take one side whole.</source>
        <translation>没有字段不同：请整条采用某一方。</translation>
    </message>
    <message>
        <source>Pick a side for: {fields}</source>
        <translation>请为这些字段选择采用哪一方：{fields}</translation>
    </message>
    <message>
        <source>Settling the conflict…</source>
        <translation>正在解决冲突…</translation>
    </message>
</context>
<context>
    <name>ConflictsPanel</name>
    <message>
        <source>&amp;Open the case</source>
        <translation>打开案件(&amp;O)</translation>
    </message>
    <message>
        <source>Open the case this record belongs to</source>
        <translation>打开这条记录所属的案件</translation>
    </message>
    <message>
        <source>&amp;Review…</source>
        <translation>审核(&amp;R)…</translation>
    </message>
    <message>
        <source>Compare the sides field by field</source>
        <translation>逐字段比较双方的修改</translation>
    </message>
    <message>
        <source>Only the committee&apos;s director and the judicial office&apos;s clerks settle conflicts</source>
        <translation>只有调委会主任和司法所工作人员可以解决冲突</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Case number</source>
        <translation>案号</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Sides</source>
        <translation>修改方</translation>
    </message>
    <message>
        <source>No open conflicts.</source>
        <translation>没有未解决的冲突。</translation>
    </message>
    <message>
        <source>Conflict {number} is settled; the resolution goes with the next export.</source>
        <translation>冲突 {number} 已解决；解决结果会随下一次导出的同步文件送到上下级单位。</translation>
    </message>
</context>
<context>
    <name>Crash</name>
    <message>
        <source>Mediation Desk</source>
        <translation>调解工作台</translation>
    </message>
    <message>
        <source>Something went wrong inside Mediation Desk.</source>
        <translation>调解工作台发生了意外错误。</translation>
    </message>
    <message>
        <source>What you saved before is safe; the action you were doing may not have finished. The details are in the log file:
{path}
Please send this file to whoever supports your desk. It contains no personal data.</source>
        <translation>此前已保存的内容不受影响；刚才的操作可能没有完成。详细情况已记录在日志文件中：
{path}
请把这个文件发给为您提供技术支持的人员。日志中不含个人信息。</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export a sync file</source>
        <translation>导出同步文件</translation>
    </message>
    <message>
        <source>&amp;Incremental: what the recipient has not confirmed yet</source>
        <translation>增量(&amp;I)：只带对方尚未确认收到的记录</translation>
    </message>
    <message>
        <source>&amp;Full: every record in scope again</source>
        <translation>全量(&amp;F)：带范围内的全部记录</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>&amp;To</source>
        <translation>收件单位(&amp;T)</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <source>Sync files (*.mdsync)</source>
        <translation>同步文件 (*.mdsync)</translation>
    </message>
    <message>
        <source>No office to send to: trust a peer&apos;s key file first (under Keys).</source>
        <translation>没有可以发送的单位：请先在“密钥”中信任对方的公钥文件。</translation>
    </message>
    <message>
        <source>Choose the file to write.</source>
        <translation>请选择要写入的文件。</translation>
    </message>
    <message>
        <source>Writing the sync file…</source>
        <translation>正在写出同步文件…</translation>
    </message>
    <message>
        <source>The sync file is ready. Carry it to the recipient (USB stick or message).</source>
        <translation>同步文件已写好。请把它送给收件单位（U 盘或通讯软件）。</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>Case number, party name (or pinyin such as zs) or facts</source>
        <translation>案号、当事人姓名（或拼音，如 zs）或案情</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>All dispute types</source>
        <translation>全部纠纷类型</translation>
    </message>
    <message>
        <source>Any date</source>
        <translation>全部日期</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>本月</translation>
    </message>
    <message>
        <source>This year</source>
        <translation>今年</translation>
    </message>
    <message>
        <source>Last year</source>
        <translation>去年</translation>
    </message>
    <message>
        <source>From … to …</source>
        <translation>自定义期间</translation>
    </message>
    <message>
        <source>All committees</source>
        <translation>全部调委会</translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation>搜索(&amp;S)</translation>
    </message>
    <message>
        <source>S&amp;tatus</source>
        <translation>状态(&amp;T)</translation>
    </message>
    <message>
        <source>T&amp;ype</source>
        <translation>纠纷类型(&amp;Y)</translation>
    </message>
    <message>
        <source>&amp;Period</source>
        <translation>期间(&amp;P)</translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <source>Welcome to Mediation Desk</source>
        <translation>欢迎使用调解工作台</translation>
    </message>
    <message>
        <source>There is no desk in the data folder yet:
{folder}
What would you like to do?</source>
        <translation>数据文件夹中还没有工作台：
{folder}
请选择：</translation>
    </message>
    <message>
        <source>Set up this desk</source>
        <translation>建立本工作台</translation>
    </message>
    <message>
        <source>Enter the code and name of your mediation committee (or judicial office, or justice bureau) and choose the administrator&apos;s password.</source>
        <translation>填写本调委会（或司法所、司法局）的组织代码和名称，并设置管理员密码。</translation>
    </message>
    <message>
        <source>Load the demo county</source>
        <translation>载入示例数据</translation>
    </message>
    <message>
        <source>Create a made-up county (Jinyun&apos;s townships with generated villages, mediators and a year of cases) to try the program or to train. Every person and case in it is fictitious.</source>
        <translation>生成一个虚构的县（缙云县的乡镇，以及程序生成的村、调解员和一年的案件），用于试用和培训。其中的人和案件全部是虚构的。</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>6 to 15 digits, e.g. 331122001001</source>
        <translation>6–15 位数字，如 331122001001</translation>
    </message>
    <message>
        <source>Organisation &amp;code</source>
        <translation>组织代码(&amp;C)</translation>
    </message>
    <message>
        <source>e.g. a village people&apos;s mediation committee</source>
        <translation>如：××村人民调解委员会</translation>
    </message>
    <message>
        <source>Organisation &amp;name</source>
        <translation>组织名称(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Level</source>
        <translation>层级(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Parent organisation</source>
        <translation>上级组织(&amp;P)</translation>
    </message>
    <message>
        <source>e.g. 缙五人调, giving numbers like (2021)缙五人调字第12号</source>
        <translation>如“缙五人调”，案号形如 (2021)缙五人调字第12号</translation>
    </message>
    <message>
        <source>Case number &amp;prefix</source>
        <translation>案号字头(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Administrator</source>
        <translation>管理员用户名(&amp;A)</translation>
    </message>
    <message>
        <source>Pass&amp;word</source>
        <translation>密码(&amp;W)</translation>
    </message>
    <message>
        <source>Password &amp;again</source>
        <translation>再次输入密码(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Back</source>
        <translation>返回(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Set up the desk</source>
        <translation>建立工作台(&amp;S)</translation>
    </message>
    <message>
        <source>Which organisation does this desk belong to?</source>
        <translation>本工作台属于哪个组织？</translation>
    </message>
    <message>
        <source>The two passwords are not the same</source>
        <translation>两次输入的密码不一致</translation>
    </message>
    <message>
        <source>Setting up the desk…</source>
        <translation>正在建立工作台……</translation>
    </message>
</context>
<context>
    <name>FollowUpDialog</name>
    <message>
        <source>Follow-up visit</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>&amp;Date</source>
        <translation>日期(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Party visited</source>
        <translation>回访对象(&amp;P)</translation>
    </message>
    <message>
        <source>P&amp;erformance</source>
        <translation>履行情况(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Satisfaction</source>
        <translation>满意度(&amp;S)</translation>
    </message>
    <message>
        <source>A &amp;lawsuit followed</source>
        <translation>其后已起诉(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Risks</source>
        <translation>风险情况(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Measures</source>
        <translation>处置措施(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Visitor</source>
        <translation>回访人(&amp;V)</translation>
    </message>
    <message>
        <source>Name the party visited</source>
        <translation>请填写回访对象</translation>
    </message>
    <message>
        <source>Name who visited</source>
        <translation>请填写回访人</translation>
    </message>
</context>
<context>
    <name>FormDialog</name>
    <message>
        <source>Nothing was saved. Please correct the entries marked in red.</source>
        <translation>尚未保存。请先改正标为红色的内容。</translation>
    </message>
    <message>
        <source>Unsaved input</source>
        <translation>输入未保存</translation>
    </message>
    <message>
        <source>What you entered has not been saved. Save it now, or discard it?</source>
        <translation>输入的内容尚未保存。现在保存，还是放弃？</translation>
    </message>
</context>
<context>
    <name>HistoryTab</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>By</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Operation</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>变更</translation>
    </message>
    <message>
        <source>Fields</source>
        <translation>变更的内容</translation>
    </message>
    <message>
        <source>No history recorded.</source>
        <translation>没有修改记录。</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Import sync files</source>
        <translation>导入同步文件</translation>
    </message>
    <message>
        <source>Checking the files…</source>
        <translation>正在检查文件…</translation>
    </message>
    <message>
        <source>File / table</source>
        <translation>文件 / 表</translation>
    </message>
    <message>
        <source>What happens</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>导入(&amp;I)</translation>
    </message>
    <message>
        <source>Checking the sync files…</source>
        <translation>正在检查同步文件…</translation>
    </message>
    <message>
        <source>Preview: nothing has been written yet. Import the files marked OK?</source>
        <translation>预览：以下是将会发生的变化，尚未写入任何内容。导入标为“成功”的文件吗？</translation>
    </message>
    <message>
        <source>Preview: nothing has been written yet. Import the files marked OK? The refused files are left out and change nothing.</source>
        <translation>预览：以下是将会发生的变化，尚未写入任何内容。导入标为“成功”的文件吗？被拒收的文件不导入，不作任何改动。</translation>
    </message>
    <message>
        <source>Nothing can be imported: the files were refused (see why below). Nothing was changed.</source>
        <translation>没有可以导入的文件：文件被拒收（原因见下）。数据未作任何改动。</translation>
    </message>
    <message>
        <source>These files were imported before; nothing to do.</source>
        <translation>这些文件已经导入过，无需再导入。</translation>
    </message>
    <message>
        <source>Importing the sync files…</source>
        <translation>正在导入同步文件…</translation>
    </message>
    <message>
        <source>Imported. A receipt for each sender goes with your next export to it.</source>
        <translation>已导入。给发件单位的回执会随下一次发给它的同步文件送出。</translation>
    </message>
    <message>
        <source>Imported, but some files or revisions were refused (see why below).</source>
        <translation>已导入，但有文件或修订记录被拒收（原因见下）。</translation>
    </message>
    <message>
        <source>Cancelled. Nothing was changed.</source>
        <translation>已取消。数据未作任何改动。</translation>
    </message>
    <message>
        <source>The files could not be checked. Nothing was changed.</source>
        <translation>无法检查这些文件。数据未作任何改动。</translation>
    </message>
    <message>
        <source>{files} files; all together: {counts}</source>
        <translation>共 {files} 个文件；合计：{counts}</translation>
    </message>
    <message>
        <source>{count} records will be in conflict: both sides changed them. Review them under Conflicts.</source>
        <translation>{count} 条记录将出现冲突（双方都修改过）：导入后请在“冲突”中审核。</translation>
    </message>
    <message>
        <source>from {sender}, {kind}, {count} revisions</source>
        <translation>发件方 {sender}，{kind}，修订记录 {count} 条</translation>
    </message>
</context>
<context>
    <name>IntakeTab</name>
    <message>
        <source>e.g. the people&apos;s court or police station</source>
        <translation>如人民法院、派出所</translation>
    </message>
    <message>
        <source>&amp;Group dispute</source>
        <translation>群体性纠纷(&amp;G)</translation>
    </message>
    <message>
        <source>What happened, briefly</source>
        <translation>纠纷的简要经过</translation>
    </message>
    <message>
        <source>What the applicant asks for</source>
        <translation>当事人提出的请求</translation>
    </message>
    <message>
        <source>Intake &amp;date</source>
        <translation>受理日期(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Source</source>
        <translation>案件来源(&amp;S)</translation>
    </message>
    <message>
        <source>Referred b&amp;y</source>
        <translation>移送单位(&amp;Y)</translation>
    </message>
    <message>
        <source>Dispute &amp;type</source>
        <translation>纠纷类型(&amp;T)</translation>
    </message>
    <message>
        <source>Case tit&amp;le</source>
        <translation>案件名称(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Place</source>
        <translation>地点(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Amount (yuan)</source>
        <translation>涉及金额（元）(&amp;A)</translation>
    </message>
    <message>
        <source>Persons &amp;involved</source>
        <translation>涉及人数(&amp;I)</translation>
    </message>
    <message>
        <source>Risks</source>
        <translation>风险提示</translation>
    </message>
    <message>
        <source>&amp;Facts</source>
        <translation>纠纷简要情况(&amp;F)</translation>
    </message>
    <message>
        <source>Re&amp;quests</source>
        <translation>申请事项(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Notes</source>
        <translation>备注(&amp;N)</translation>
    </message>
    <message>
        <source>Name the body that referred the case</source>
        <translation>请填写委托移送单位</translation>
    </message>
</context>
<context>
    <name>InvestigationDialog</name>
    <message>
        <source>Investigation record</source>
        <translation>调查记录</translation>
    </message>
    <message>
        <source>&amp;Time</source>
        <translation>时间(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Place</source>
        <translation>地点(&amp;P)</translation>
    </message>
    <message>
        <source>In&amp;vestigator</source>
        <translation>调查人(&amp;V)</translation>
    </message>
    <message>
        <source>Person &amp;interviewed</source>
        <translation>被调查人(&amp;I)</translation>
    </message>
    <message>
        <source>&amp;Recorder</source>
        <translation>记录人(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Content</source>
        <translation>调查内容(&amp;C)</translation>
    </message>
    <message>
        <source>Name the investigator</source>
        <translation>请填写调查人</translation>
    </message>
    <message>
        <source>Name the person interviewed</source>
        <translation>请填写被调查人</translation>
    </message>
    <message>
        <source>Write what was found</source>
        <translation>请填写调查内容</translation>
    </message>
</context>
<context>
    <name>KeysPanel</name>
    <message>
        <source>This desk&apos;s sync key</source>
        <translation>本工作台的同步密钥</translation>
    </message>
    <message>
        <source>Read these groups to the other office over the phone; they compare them with the file.</source>
        <translation>通过电话把这些分组读给对方，由对方与公钥文件核对。</translation>
    </message>
    <message>
        <source>Organisation</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Fingerprint</source>
        <translation>指纹</translation>
    </message>
    <message>
        <source>E&amp;xport public key file…</source>
        <translation>导出公钥文件(&amp;X)…</translation>
    </message>
    <message>
        <source>Write this desk&apos;s public key file for its peers</source>
        <translation>写出本工作台的公钥文件，交给上下级单位</translation>
    </message>
    <message>
        <source>&amp;Trust a key file…</source>
        <translation>信任公钥文件(&amp;T)…</translation>
    </message>
    <message>
        <source>Trust a peer&apos;s public key file after comparing it</source>
        <translation>核对指纹后信任上下级单位的公钥文件</translation>
    </message>
    <message>
        <source>Export &amp;identity…</source>
        <translation>导出私钥(&amp;I)…</translation>
    </message>
    <message>
        <source>Write the private age identity, for recovery by hand</source>
        <translation>写出 age 私钥，用于手工恢复（慎用）</translation>
    </message>
    <message>
        <source>&amp;New device identity…</source>
        <translation>换用新的设备标识(&amp;N)…</translation>
    </message>
    <message>
        <source>When this desk&apos;s keys are lost from the keyring</source>
        <translation>系统钥匙串中的同步密钥丢失时使用</translation>
    </message>
    <message>
        <source>Trusted offices</source>
        <translation>已信任的单位</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>层级</translation>
    </message>
    <message>
        <source>Trusted on</source>
        <translation>信任时间</translation>
    </message>
    <message>
        <source>No office is trusted yet. Exchange public key files with your township (or your villages, or the county), compare the fingerprints over the phone, then trust their file here.</source>
        <translation>尚未信任任何单位。请与乡镇（或下属村居、县）交换公钥文件，通过电话核对指纹，然后在这里信任对方的文件。</translation>
    </message>
    <message>
        <source>Only the committee&apos;s director and the judicial office&apos;s clerks manage keys and trust</source>
        <translation>只有调委会主任和司法所工作人员可以管理密钥和信任的单位</translation>
    </message>
    <message>
        <source>Your role may not export sync files</source>
        <translation>您的角色不能导出同步文件</translation>
    </message>
    <message>
        <source>If the keys cannot be restored to the keyring, use “New device identity…” below, then give the new public key file to your peers to trust again.</source>
        <translation>若密钥无法恢复到钥匙串中，请用下面的“换用新的设备标识…”，然后把新的公钥文件交给上下级单位重新信任。</translation>
    </message>
    <message>
        <source>Unlock the keyring (sign in to the desktop&apos;s keyring), then press F5 to try again.</source>
        <translation>请先解锁系统钥匙串（登录桌面的密钥环），再按 F5 重试。</translation>
    </message>
    <message>
        <source>Set up the system keyring (see the README&apos;s section on keys), then start the program again.</source>
        <translation>请先设置系统钥匙串（见说明文件中关于密钥的一节），然后重新启动程序。</translation>
    </message>
    <message>
        <source>Export public key file</source>
        <translation>导出公钥文件</translation>
    </message>
    <message>
        <source>Public key files (*.pub)</source>
        <translation>公钥文件 (*.pub)</translation>
    </message>
    <message>
        <source>Public key file written: {file}. Give it to your peers and compare the fingerprint by phone.</source>
        <translation>已写出公钥文件：{file}。请把它交给上下级单位，并通过电话核对指纹。</translation>
    </message>
    <message>
        <source>Trust a key file</source>
        <translation>信任公钥文件</translation>
    </message>
    <message>
        <source>Public key files (*.pub);;*</source>
        <translation>公钥文件 (*.pub);;*</translation>
    </message>
    <message>
        <source>&lt;p&gt;The key file is from:&lt;/p&gt;&lt;p&gt;&lt;b&gt;{org}&lt;/b&gt; ({level})&lt;br&gt;Device: {device}&lt;/p&gt;&lt;p&gt;Fingerprint:&lt;/p&gt;&lt;pre style=&apos;font-size: 13pt&apos;&gt;{fingerprint}&lt;/pre&gt;&lt;p&gt;Call the office and have them read their fingerprint (under 同步 → 密钥). Trust the file only if every group matches.&lt;/p&gt;</source>
        <translation>&lt;p&gt;公钥文件来自：&lt;/p&gt;&lt;p&gt;&lt;b&gt;{org}&lt;/b&gt;（{level}）&lt;br&gt;设备：{device}&lt;/p&gt;&lt;p&gt;指纹：&lt;/p&gt;&lt;pre style=&apos;font-size: 13pt&apos;&gt;{fingerprint}&lt;/pre&gt;&lt;p&gt;请给对方打电话，请对方读出自己的指纹（在“同步 → 密钥”中）。每一组都相同才能信任此文件。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&amp;Trust</source>
        <translation>信任(&amp;T)</translation>
    </message>
    <message>
        <source>I compared the fingerprint with {org} over the phone and it matches</source>
        <translation>我已与{org}电话核对指纹，完全一致</translation>
    </message>
    <message>
        <source>Not trusted: nothing was changed.</source>
        <translation>未信任：没有作任何改动。</translation>
    </message>
    <message>
        <source>This desk already trusted this key of {org}; nothing changed.</source>
        <translation>本工作台已信任{org}的这把密钥，未作改动。</translation>
    </message>
    <message>
        <source>{org} is trusted now, and this desk issued it a certificate.</source>
        <translation>已信任{org}，并已为它签发证书：本工作台转给县里的文件中，它的记录可以逐条验证。</translation>
    </message>
    <message>
        <source>{org} is trusted now.</source>
        <translation>已信任{org}。</translation>
    </message>
    <message>
        <source>Export identity</source>
        <translation>导出私钥</translation>
    </message>
    <message>
        <source>Whoever holds this file can decrypt every sync file sent to this desk. Use it only to recover a file by hand, delete it afterwards, and never send it with the sync files.</source>
        <translation>警告：持有此文件者可以解密发给本工作台的全部同步文件。只用于手工恢复，用完请删除，切勿随同步文件一起外传。</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <source>I understand; I will keep the file safe and delete it afterwards</source>
        <translation>我明白：会妥善保管此文件，用完即删除</translation>
    </message>
    <message>
        <source>Identity written: {file}. Delete it as soon as the recovery is done.</source>
        <translation>已写出 age 私钥：{file}。恢复完成后请立即删除。</translation>
    </message>
    <message>
        <source>New device identity</source>
        <translation>换用新的设备标识</translation>
    </message>
    <message>
        <source>&lt;p&gt;Only when this desk&apos;s keys are lost from the keyring and cannot be restored.&lt;/p&gt;&lt;p&gt;This desk gets a new device identity and new keys. &lt;b&gt;Every peer must trust its new public key file again&lt;/b&gt;; until then they refuse its files. Earlier records keep their identity.&lt;/p&gt;&lt;p&gt;Type this desk&apos;s organisation code &lt;b&gt;{code}&lt;/b&gt; to go on.&lt;/p&gt;</source>
        <translation>&lt;p&gt;只在系统钥匙串中的同步密钥丢失且无法恢复时使用。&lt;/p&gt;&lt;p&gt;本工作台将换用新的设备标识和新密钥。&lt;b&gt;上下级单位都须重新信任新的公钥文件&lt;/b&gt;，在此之前它们会拒收本工作台的文件。以前的记录保持原样。&lt;/p&gt;&lt;p&gt;请输入本单位的组织代码 &lt;b&gt;{code}&lt;/b&gt; 以继续。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Take a &amp;new identity</source>
        <translation>换用新标识(&amp;N)</translation>
    </message>
    <message>
        <source>This desk now has the device identity {device}.</source>
        <translation>本工作台已换用新的设备标识 {device} 和新密钥。</translation>
    </message>
    <message>
        <source>{count} records were registered again under it.</source>
        <translation>{count} 条记录的最近修改原由旧密钥签名，已以新标识重新登记，将随下一次导出送出。</translation>
    </message>
    <message>
        <source>Export the new public key file and give it to your peers to trust.</source>
        <translation>请导出新的公钥文件，交给上下级单位重新信任。</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Sign in — Mediation Desk</source>
        <translation>登录 — 调解工作台</translation>
    </message>
    <message>
        <source>Opening the desk…</source>
        <translation>正在打开工作台…</translation>
    </message>
    <message>
        <source>&amp;Stay signed in until I log out of this computer</source>
        <translation>在注销本电脑之前保持登录(&amp;S)</translation>
    </message>
    <message>
        <source>Only on a desk with a single account. Anyone using this computer account can then open the desk.</source>
        <translation>仅限只有一个账户的工作台。此后凡使用本电脑账户的人都能打开工作台。</translation>
    </message>
    <message>
        <source>&amp;User name</source>
        <translation>用户名(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation>密码(&amp;P)</translation>
    </message>
    <message>
        <source>Sign &amp;in</source>
        <translation>登录(&amp;I)</translation>
    </message>
    <message>
        <source>Enter your user name</source>
        <translation>请输入用户名</translation>
    </message>
    <message>
        <source>Enter your password</source>
        <translation>请输入密码</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Mediation Desk — {organisation}</source>
        <translation>调解工作台 — {organisation}</translation>
    </message>
    <message>
        <source> (demo data)</source>
        <translation>（示例数据）</translation>
    </message>
    <message>
        <source>&amp;Register case</source>
        <translation>登记案件(&amp;N)</translation>
    </message>
    <message>
        <source>Register a new case and its parties</source>
        <translation>登记新案件及其当事人</translation>
    </message>
    <message>
        <source>Open the selected case</source>
        <translation>打开选中的案件</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>Search the cases</source>
        <translation>搜索案件</translation>
    </message>
    <message>
        <source>E&amp;xit</source>
        <translation>退出(&amp;X)</translation>
    </message>
    <message>
        <source>Close Mediation Desk</source>
        <translation>关闭调解工作台</translation>
    </message>
    <message>
        <source>&amp;About Mediation Desk</source>
        <translation>关于调解工作台(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Desk</source>
        <translation>工作台(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Cases</source>
        <translation>案件(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Printing</source>
        <translation>打印(&amp;P)</translation>
    </message>
    <message>
        <source>Stat&amp;istics</source>
        <translation>统计(&amp;I)</translation>
    </message>
    <message>
        <source>S&amp;ync</source>
        <translation>同步(&amp;Y)</translation>
    </message>
    <message>
        <source>Mediation Desk and its icons: GPL-3.0-or-later</source>
        <translation>调解工作台及其图标：GPL-3.0-or-later</translation>
    </message>
    <message>
        <source>Qt 6 and PySide6: LGPL-3.0</source>
        <translation>Qt 6 与 PySide6：LGPL-3.0</translation>
    </message>
    <message>
        <source>WenQuanYi Micro Hei font: Apache-2.0, or GPL-3.0 with the font exception</source>
        <translation>文泉驿微米黑字体：Apache-2.0，或附字体例外的 GPL-3.0</translation>
    </message>
    <message>
        <source>SQLAlchemy, Alembic, openpyxl, pypinyin, platformdirs, keyring, argon2-cffi: MIT</source>
        <translation>SQLAlchemy、Alembic、openpyxl、pypinyin、platformdirs、keyring、argon2-cffi：MIT</translation>
    </message>
    <message>
        <source>cryptography: Apache-2.0 or BSD-3-Clause; pyrage: MIT or Apache-2.0</source>
        <translation>cryptography：Apache-2.0 或 BSD-3-Clause；pyrage：MIT 或 Apache-2.0</translation>
    </message>
    <message>
        <source>ReportLab: BSD-3-Clause; psycopg: LGPL-3.0</source>
        <translation>ReportLab：BSD-3-Clause；psycopg：LGPL-3.0</translation>
    </message>
    <message>
        <source>&amp;Open case</source>
        <translation>打开案件(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Save the settings on this page</source>
        <translation>保存本页的设置</translation>
    </message>
    <message>
        <source>&amp;Find cases</source>
        <translation>查找案件(&amp;F)</translation>
    </message>
    <message>
        <source>Read this page again</source>
        <translation>重新读取本页</translation>
    </message>
    <message>
        <source>&amp;Export list to Excel…</source>
        <translation>导出列表到 Excel(&amp;E)…</translation>
    </message>
    <message>
        <source>Export the cases listed to an Excel workbook</source>
        <translation>把列表中的案件导出为 Excel 工作簿</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>打印(&amp;P)…</translation>
    </message>
    <message>
        <source>Print the forms of the selected cases</source>
        <translation>打印所选案件的文书</translation>
    </message>
    <message>
        <source>Change &amp;password…</source>
        <translation>修改密码(&amp;P)…</translation>
    </message>
    <message>
        <source>Change your own password</source>
        <translation>修改自己的密码</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>退出登录(&amp;O)</translation>
    </message>
    <message>
        <source>Sign out and show the sign-in window</source>
        <translation>退出登录并显示登录窗口</translation>
    </message>
    <message>
        <source>Version and licences</source>
        <translation>版本与许可证</translation>
    </message>
    <message>
        <source>Your role may not register cases</source>
        <translation>您的角色无权登记案件</translation>
    </message>
    <message>
        <source>&amp;Today&apos;s work</source>
        <translation>今日工作(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Mediators and organisations</source>
        <translation>调解员与组织(&amp;M)</translation>
    </message>
    <message>
        <source>C&amp;ase</source>
        <translation>案件(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>Signed in: {user} ({role})</source>
        <translation>当前用户：{user}（{role}）</translation>
    </message>
    <message>
        <source>Licences:</source>
        <translation>许可证：</translation>
    </message>
    <message>
        <source>Demo data</source>
        <translation>示例数据</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <source>Noto Serif CJK SC (forms): OFL-1.1; HanaMin (rare characters): Hanazono</source>
        <translation>思源宋体 Noto Serif CJK SC（打印文书）：OFL-1.1；花園明朝 HanaMin（生僻字）：Hanazono 许可</translation>
    </message>
    <message>
        <source>Everything on this desk was generated by the program. No case or person in it is real.</source>
        <translation>本工作台的全部数据由程序生成，其中的案件和人员都不是真实的。</translation>
    </message>
    <message>
        <source>Case {number} registered</source>
        <translation>已登记案件 {number}</translation>
    </message>
    <message>
        <source>The database of this desk is damaged: {problem}</source>
        <translation>本工作台的数据库已损坏：{problem}</translation>
    </message>
    <message>
        <source>Make no more changes. To recover, close Mediation Desk and restore the last good backup, {backup}, with this command:

{command}

The damaged database is kept as a copy first.</source>
        <translation>请不要再作任何修改。恢复方法：关闭调解工作台，用最近一次完好的备份 {backup} 恢复，命令为：

{command}

恢复前会先把损坏的数据库另存一份副本。</translation>
    </message>
    <message>
        <source>No intact backup was found. Make no more changes, copy the whole data folder {folder} to a safe place and ask for technical support.</source>
        <translation>没有找到完好的备份。请不要再作任何修改，把整个数据文件夹 {folder} 复制到安全的地方，并联系技术支持。</translation>
    </message>
    <message>
        <source>Database damaged</source>
        <translation>数据库已损坏</translation>
    </message>
    <message>
        <source>About Mediation Desk</source>
        <translation>关于调解工作台</translation>
    </message>
    <message>
        <source>Mediation Desk {version}
Case management for people&apos;s mediation committees.</source>
        <translation>调解工作台 {version}
人民调解委员会案件管理程序。</translation>
    </message>
</context>
<context>
    <name>MediatorDialog</name>
    <message>
        <source>Mediator</source>
        <translation>调解员</translation>
    </message>
    <message>
        <source>Add a mediator</source>
        <translation>添加调解员</translation>
    </message>
    <message>
        <source>&amp;Name</source>
        <translation>姓名(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Gender</source>
        <translation>性别(&amp;G)</translation>
    </message>
    <message>
        <source>Not given</source>
        <translation>未填</translation>
    </message>
    <message>
        <source>&amp;Committee</source>
        <translation>调委会(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Role</source>
        <translation>身份(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Employment</source>
        <translation>专兼职(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Legal instructor (法治指导员)</source>
        <translation>法治指导员(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Phone</source>
        <translation>电话(&amp;P)</translation>
    </message>
    <message>
        <source>ID &amp;type</source>
        <translation>证件类型(&amp;T)</translation>
    </message>
    <message>
        <source>ID n&amp;umber</source>
        <translation>证件号码(&amp;U)</translation>
    </message>
    <message>
        <source>Serving &amp;from</source>
        <translation>任职自(&amp;F)</translation>
    </message>
    <message>
        <source>Served unt&amp;il</source>
        <translation>任职至(&amp;I)</translation>
    </message>
    <message>
        <source>N&amp;otes</source>
        <translation>备注(&amp;O)</translation>
    </message>
    <message>
        <source>Enter the mediator&apos;s name</source>
        <translation>请输入调解员姓名</translation>
    </message>
</context>
<context>
    <name>MediatorsTab</name>
    <message>
        <source>&amp;Assign mediators…</source>
        <translation>指派调解员(&amp;A)…</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>身份</translation>
    </message>
    <message>
        <source>Assigned on</source>
        <translation>指派日期</translation>
    </message>
    <message>
        <source>Step a&amp;side…</source>
        <translation>回避(&amp;S)…</translation>
    </message>
    <message>
        <source>Stepped aside</source>
        <translation>已回避</translation>
    </message>
    <message>
        <source>Chosen by</source>
        <translation>选定方式</translation>
    </message>
    <message>
        <source>No mediator assigned yet. Use “Assign mediators” once the case is accepted.</source>
        <translation>尚未指派调解员。案件受理后请用“指派调解员”。</translation>
    </message>
    <message>
        <source>Save &amp;recorder</source>
        <translation>保存记录人(&amp;R)</translation>
    </message>
    <message>
        <source>Recorder</source>
        <translation>记录人</translation>
    </message>
    <message>
        <source>the parties</source>
        <translation>当事人选定</translation>
    </message>
    <message>
        <source>the committee</source>
        <translation>调委会指定</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>Yes: {reason}</source>
        <translation>是：{reason}</translation>
    </message>
</context>
<context>
    <name>OutcomeTab</name>
    <message>
        <source>A&amp;ccept</source>
        <translation>受理(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Refuse…</source>
        <translation>不予受理(&amp;R)…</translation>
    </message>
    <message>
        <source>C&amp;onclude mediation…</source>
        <translation>结束调解(&amp;O)…</translation>
    </message>
    <message>
        <source>C&amp;lose the case…</source>
        <translation>结案(&amp;L)…</translation>
    </message>
    <message>
        <source>Agreement</source>
        <translation>调解协议</translation>
    </message>
    <message>
        <source>Main facts, the matters in dispute and each side&apos;s responsibility</source>
        <translation>主要事实、争议事项及各方责任</translation>
    </message>
    <message>
        <source>e.g. bank transfer</source>
        <translation>例如：银行转账</translation>
    </message>
    <message>
        <source>Performed &amp;by</source>
        <translation>履行期限(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Save agreement</source>
        <translation>保存协议(&amp;S)</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>&amp;Facts and responsibilities</source>
        <translation>事实与责任(&amp;F)</translation>
    </message>
    <message>
        <source>Terms (&amp;numbered)</source>
        <translation>协议条款（按序编号）(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Manner of performance</source>
        <translation>履行方式(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Place of performance</source>
        <translation>履行地点(&amp;P)</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>履行期限</translation>
    </message>
    <message>
        <source>Status: {status}</source>
        <translation>案件状态：{status}</translation>
    </message>
    <message>
        <source>Outcome: {kind}, on {day}</source>
        <translation>调解结果：{kind}，日期 {day}</translation>
    </message>
    <message>
        <source>Reason: {reason}</source>
        <translation>原因：{reason}</translation>
    </message>
    <message>
        <source>Performance: {performance}</source>
        <translation>履行情况：{performance}</translation>
    </message>
    <message>
        <source>Mediation has not ended yet.</source>
        <translation>调解尚未终结。</translation>
    </message>
    <message>
        <source>Closed on {day}</source>
        <translation>结案日期：{day}</translation>
    </message>
    <message>
        <source>Not written yet: enter the terms and save.</source>
        <translation>尚未拟定：请填写协议条款并保存。</translation>
    </message>
</context>
<context>
    <name>PairingDialog</name>
    <message>
        <source>Pair {name} with a village</source>
        <translation>{name} 结对指导</translation>
    </message>
    <message>
        <source>&amp;Village committee</source>
        <translation>村（社区）调委会(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;From</source>
        <translation>开始日期(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Ends on</source>
        <translation>结束日期(&amp;E)</translation>
    </message>
    <message>
        <source>Choose a village committee</source>
        <translation>请选择村（社区）调委会</translation>
    </message>
    <message>
        <source>The end is before the start</source>
        <translation>结束日期早于开始日期</translation>
    </message>
</context>
<context>
    <name>PartiesSection</name>
    <message>
        <source>Parties</source>
        <translation>当事人</translation>
    </message>
    <message>
        <source>Add &amp;applicant</source>
        <translation>添加申请人(&amp;A)</translation>
    </message>
    <message>
        <source>Add r&amp;espondent</source>
        <translation>添加被申请人(&amp;E)</translation>
    </message>
    <message>
        <source>Add &amp;third party</source>
        <translation>添加第三人(&amp;H)</translation>
    </message>
</context>
<context>
    <name>PartyEditor</name>
    <message>
        <source>Not given</source>
        <translation>未填</translation>
    </message>
    <message>
        <source>Name of the agent, if any</source>
        <translation>代理人姓名（如有）</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Remove this party from the case</source>
        <translation>从本案中删除此当事人</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>身份</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Gender</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>ID type</source>
        <translation>证件类型</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>Birth date</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>住址</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>代理人</translation>
    </message>
    <message>
        <source>Agent&apos;s phone</source>
        <translation>代理人电话</translation>
    </message>
    <message>
        <source>The ID number says {gender}</source>
        <translation>身份证号码显示为{gender}</translation>
    </message>
    <message>
        <source>The ID number says {date}</source>
        <translation>身份证号码显示为 {date}</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <source>Change password</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <source>&amp;Current password</source>
        <translation>原密码(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;New password</source>
        <translation>新密码(&amp;N)</translation>
    </message>
    <message>
        <source>New password &amp;again</source>
        <translation>再次输入新密码(&amp;A)</translation>
    </message>
    <message>
        <source>The two passwords are not the same</source>
        <translation>两次输入的密码不一致</translation>
    </message>
</context>
<context>
    <name>PdfPrint</name>
    <message>
        <source>The document could not be read for printing.</source>
        <translation>无法读取要打印的文书。</translation>
    </message>
    <message>
        <source>The printer could not be started.</source>
        <translation>无法启动打印机。</translation>
    </message>
    <message>
        <source>Save as PDF</source>
        <translation>另存为 PDF</translation>
    </message>
</context>
<context>
    <name>PrintPage</name>
    <message>
        <source>Mediation agreement</source>
        <translation>人民调解协议书</translation>
    </message>
    <message>
        <source>Oral agreement register</source>
        <translation>口头调解协议登记表</translation>
    </message>
    <message>
        <source>Application for mediation</source>
        <translation>人民调解申请书</translation>
    </message>
    <message>
        <source>Intake register</source>
        <translation>人民调解受理登记表</translation>
    </message>
    <message>
        <source>Notice of rights and duties</source>
        <translation>人民调解权利义务告知书</translation>
    </message>
    <message>
        <source>Investigation record</source>
        <translation>调查记录</translation>
    </message>
    <message>
        <source>Mediation session record</source>
        <translation>调解记录</translation>
    </message>
    <message>
        <source>Follow-up visit record</source>
        <translation>回访记录</translation>
    </message>
    <message>
        <source>Notice of ending mediation</source>
        <translation>终止调解告知书</translation>
    </message>
    <message>
        <source>Case file cover and contents</source>
        <translation>卷宗封面和卷内目录</translation>
    </message>
    <message>
        <source>Printing</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>Case number, party name (or pinyin such as zs)</source>
        <translation>案号、当事人姓名（或拼音首字母，如 zs）</translation>
    </message>
    <message>
        <source>Tick &amp;all shown</source>
        <translation>全选(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Untick all</source>
        <translation>全不选(&amp;U)</translation>
    </message>
    <message>
        <source>Case number</source>
        <translation>案号</translation>
    </message>
    <message>
        <source>Applicants</source>
        <translation>申请人</translation>
    </message>
    <message>
        <source>Respondents</source>
        <translation>被申请人</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Forms</source>
        <translation>文书</translation>
    </message>
    <message>
        <source>Pre&amp;view…</source>
        <translation>预览(&amp;V)…</translation>
    </message>
    <message>
        <source>Preview the highlighted form of the highlighted case</source>
        <translation>预览所选案件的所选文书</translation>
    </message>
    <message>
        <source>Save as &amp;PDF…</source>
        <translation>另存为 PDF(&amp;P)…</translation>
    </message>
    <message>
        <source>Save the highlighted form of the highlighted case</source>
        <translation>把所选案件的所选文书另存为 PDF 文件</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>打印(&amp;R)…</translation>
    </message>
    <message>
        <source>Print the ticked forms of the ticked cases</source>
        <translation>打印勾选案件的勾选文书</translation>
    </message>
    <message>
        <source>Save to &amp;folder…</source>
        <translation>保存到文件夹(&amp;F)…</translation>
    </message>
    <message>
        <source>Save the ticked forms of the ticked cases as PDF files in a folder</source>
        <translation>把勾选案件的勾选文书保存为文件夹中的 PDF 文件</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Verify an agreement</source>
        <translation>核验协议书</translation>
    </message>
    <message>
        <source>Verification code from the paper, e.g. 7KQ2M-X9HCD</source>
        <translation>纸质协议书上的验证码，如 7KQ2M-X9HCD</translation>
    </message>
    <message>
        <source>V&amp;erify</source>
        <translation>核验(&amp;E)</translation>
    </message>
    <message>
        <source>Check the code against this desk&apos;s agreements</source>
        <translation>与本工作台的协议书核对验证码</translation>
    </message>
    <message>
        <source>Type the code printed beside the QR code of an agreement.</source>
        <translation>请输入协议书二维码旁印的验证码。</translation>
    </message>
    <message>
        <source>{count} cases shown</source>
        <translation>显示 {count} 件案件</translation>
    </message>
    <message>
        <source>The first {count} cases shown: narrow the search</source>
        <translation>只显示前 {count} 件案件：请缩小查找范围</translation>
    </message>
    <message>
        <source>{count} ticked</source>
        <translation>已勾选 {count} 件</translation>
    </message>
    <message>
        <source>Highlight a case and a form to preview.</source>
        <translation>请先选中一件案件和一种文书，再预览。</translation>
    </message>
    <message>
        <source>Highlight a case and a form to save.</source>
        <translation>请先选中一件案件和一种文书，再保存。</translation>
    </message>
    <message>
        <source>Saved {title}: {path}</source>
        <translation>已保存 {title}：{path}</translation>
    </message>
    <message>
        <source>Tick at least one case and one form.</source>
        <translation>请至少勾选一件案件和一种文书。</translation>
    </message>
    <message>
        <source>Preparing {count} documents for printing…</source>
        <translation>正在准备打印 {count} 份文书…</translation>
    </message>
    <message>
        <source>Not printed: {title}: {problem}</source>
        <translation>未打印：{title}：{problem}</translation>
    </message>
    <message>
        <source>Nothing to print.</source>
        <translation>没有可打印的文书。</translation>
    </message>
    <message>
        <source>Mediation Desk forms</source>
        <translation>调解工作台文书</translation>
    </message>
    <message>
        <source>Printed: {title}</source>
        <translation>已打印：{title}</translation>
    </message>
    <message>
        <source>{count} documents, {pages} pages sent to the printer</source>
        <translation>已向打印机发送 {count} 份文书，共 {pages} 页</translation>
    </message>
    <message>
        <source>Save the forms into a folder</source>
        <translation>选择保存文书的文件夹</translation>
    </message>
    <message>
        <source>Cancelled: the files saved before are complete.</source>
        <translation>已取消：此前保存的文件都是完整的。</translation>
    </message>
    <message>
        <source>Saving {count} documents…</source>
        <translation>正在保存 {count} 份文书…</translation>
    </message>
    <message>
        <source>Not saved: {title}: {problem}</source>
        <translation>未保存：{title}：{problem}</translation>
    </message>
    <message>
        <source>Saved: {name}</source>
        <translation>已保存：{name}</translation>
    </message>
    <message>
        <source>{count} files saved in {folder}</source>
        <translation>已在 {folder} 保存 {count} 个文件</translation>
    </message>
    <message>
        <source>Agreement: {number}&#x3000;Case: {case}</source>
        <translation>协议书编号：{number}&#x3000;案号：{case}</translation>
    </message>
    <message>
        <source>Committee: {org}</source>
        <translation>调解组织：{org}</translation>
    </message>
    <message>
        <source>Parties: {names}</source>
        <translation>当事人：{names}</translation>
    </message>
    <message>
        <source>In force since {day}</source>
        <translation>生效日期：{day}</translation>
    </message>
    <message>
        <source>Note: the case&apos;s parties or mediators were changed after signing; the signed paper stands. Check with the committee.</source>
        <translation>注意：协议书签署后，案件中的当事人或调解员信息有改动；以签署的纸质文本为准，请向调解委员会核实。</translation>
    </message>
</context>
<context>
    <name>ProgressDialog</name>
    <message>
        <source>Please wait</source>
        <translation>请稍候</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>QualityDialog</name>
    <message>
        <source>Data quality check</source>
        <translation>数据质量检查</translation>
    </message>
    <message>
        <source>These cases would make the published figures wrong. Correct them first (double-click a case to open it), or export the report with the data as it is.</source>
        <translation>这些案件会使发布的统计数字出错。请先更正（双击案件可打开），或按现有数据导出报表。</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Committee</source>
        <translation>调委会</translation>
    </message>
    <message>
        <source>Case number</source>
        <translation>案号</translation>
    </message>
    <message>
        <source>Intake date</source>
        <translation>受理日期</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Only the first {shown} are listed.</source>
        <translation>只列出前 {shown} 项。</translation>
    </message>
    <message>
        <source>&amp;Export anyway</source>
        <translation>仍然导出(&amp;E)</translation>
    </message>
</context>
<context>
    <name>RecordsTab</name>
    <message>
        <source>Add &amp;investigation…</source>
        <translation>添加调查记录(&amp;I)…</translation>
    </message>
    <message>
        <source>Add &amp;session…</source>
        <translation>添加调解记录(&amp;S)…</translation>
    </message>
    <message>
        <source>Add &amp;follow-up visit…</source>
        <translation>添加回访记录(&amp;F)…</translation>
    </message>
    <message>
        <source>&amp;Judicial confirmation…</source>
        <translation>司法确认(&amp;J)…</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Content</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>No investigation, session or follow-up recorded yet. Add them with the buttons above.</source>
        <translation>还没有调查、调解或回访记录。请用上方的按钮添加。</translation>
    </message>
</context>
<context>
    <name>RecuseDialog</name>
    <message>
        <source>A mediator steps aside</source>
        <translation>调解员回避</translation>
    </message>
    <message>
        <source>&amp;Mediator</source>
        <translation>调解员(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Reason</source>
        <translation>理由(&amp;R)</translation>
    </message>
    <message>
        <source>Say why the mediator steps aside</source>
        <translation>请写明回避的理由</translation>
    </message>
    <message>
        <source>No mediator to choose</source>
        <translation>没有可选的调解员</translation>
    </message>
</context>
<context>
    <name>RefuseDialog</name>
    <message>
        <source>Refuse the case</source>
        <translation>不予受理</translation>
    </message>
    <message>
        <source>&amp;Reason</source>
        <translation>理由(&amp;R)</translation>
    </message>
    <message>
        <source>e.g. a court has already accepted the matter</source>
        <translation>例如：人民法院已受理该纠纷</translation>
    </message>
    <message>
        <source>&amp;Date</source>
        <translation>日期(&amp;D)</translation>
    </message>
    <message>
        <source>Say why the case is refused</source>
        <translation>请写明不予受理的理由</translation>
    </message>
</context>
<context>
    <name>RostersPage</name>
    <message>
        <source>&amp;Mediators</source>
        <translation>调解员(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Organisations</source>
        <translation>组织机构(&amp;O)</translation>
    </message>
    <message>
        <source>Add a mediator to the roster</source>
        <translation>在名册中添加调解员</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>修改(&amp;E)…</translation>
    </message>
    <message>
        <source>Correct the selected mediator</source>
        <translation>修改所选调解员</translation>
    </message>
    <message>
        <source>&amp;Pair with village…</source>
        <translation>结对指导(&amp;P)…</translation>
    </message>
    <message>
        <source>Pair the selected mediator with a village</source>
        <translation>为所选调解员结对指导村（社区）</translation>
    </message>
    <message>
        <source>Record the selected mediator&apos;s yearly assessment</source>
        <translation>登记所选调解员的年度考核</translation>
    </message>
    <message>
        <source>A&amp;ssessment…</source>
        <translation>年度考核(&amp;S)…</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Committee</source>
        <translation>调委会</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>身份</translation>
    </message>
    <message>
        <source>Employment</source>
        <translation>专兼职</translation>
    </message>
    <message>
        <source>Legal instructor</source>
        <translation>法治指导员</translation>
    </message>
    <message>
        <source>Serving</source>
        <translation>在任</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Select a mediator to see pairings and assessments.</source>
        <translation>选择一名调解员可查看结对指导和年度考核。</translation>
    </message>
    <message>
        <source>No mediator on the roster yet. Add the committee&apos;s members with “Add mediator”.</source>
        <translation>名册中还没有调解员。请用“添加调解员”录入调委会成员。</translation>
    </message>
    <message>
        <source>&amp;Import village list (CSV)…</source>
        <translation>导入村（社区）名单 CSV(&amp;I)…</translation>
    </message>
    <message>
        <source>Columns: code,name,level,parent_code</source>
        <translation>列：code,name,level,parent_code（代码、名称、层级、上级代码）</translation>
    </message>
    <message>
        <source>Case number &amp;prefix…</source>
        <translation>案号字头(&amp;P)…</translation>
    </message>
    <message>
        <source>Set the selected committee&apos;s case-number prefix</source>
        <translation>设定所选调委会的案号字头</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>层级</translation>
    </message>
    <message>
        <source>Case number prefix</source>
        <translation>案号字头</translation>
    </message>
    <message>
        <source>Your role may not change the roster</source>
        <translation>您的角色无权修改调解员名册</translation>
    </message>
    <message>
        <source>Only the judicial office&apos;s clerks and the administrator keep the organisations</source>
        <translation>组织机构由司法所、司法局工作人员和系统管理员维护</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>Left</source>
        <translation>已离任</translation>
    </message>
    <message>
        <source>now</source>
        <translation>至今</translation>
    </message>
    <message>
        <source>Serving: {period}</source>
        <translation>任职期间：{period}</translation>
    </message>
    <message>
        <source>Pairings</source>
        <translation>结对指导</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Add media&amp;tor…</source>
        <translation>添加调解员(&amp;T)…</translation>
    </message>
    <message>
        <source>Assessments</source>
        <translation>年度考核</translation>
    </message>
    <message>
        <source>Import a village list</source>
        <translation>导入村（社区）名单</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>{created} added, {updated} changed, {unchanged} already on file.</source>
        <translation>新增 {created} 个，更新 {updated} 个，{unchanged} 个已在工作台中。</translation>
    </message>
    <message>
        <source>Choose a committee in the tree first.</source>
        <translation>请先在组织树中选择一个调委会。</translation>
    </message>
    <message>
        <source>Prefix, e.g. 缙五人调:</source>
        <translation>字头，例如 缙五人调：</translation>
    </message>
</context>
<context>
    <name>SessionDialog</name>
    <message>
        <source>Mediation session record</source>
        <translation>调解记录</translation>
    </message>
    <message>
        <source>&amp;Time</source>
        <translation>时间(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Place</source>
        <translation>地点(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Matter</source>
        <translation>调解事项(&amp;M)</translation>
    </message>
    <message>
        <source>P&amp;articipants</source>
        <translation>参加人(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Record</source>
        <translation>记录内容(&amp;R)</translation>
    </message>
    <message>
        <source>Each side&apos;s statement and the facts verified</source>
        <translation>各方陈述及查明的事实</translation>
    </message>
    <message>
        <source>R&amp;esult</source>
        <translation>调解结果(&amp;E)</translation>
    </message>
    <message>
        <source>Re&amp;corder</source>
        <translation>记录人(&amp;C)</translation>
    </message>
    <message>
        <source>Write the record of the session</source>
        <translation>请填写调解记录内容</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Interface (this computer)</source>
        <translation>界面（本电脑）</translation>
    </message>
    <message>
        <source> pt</source>
        <translation> 磅</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Font size</source>
        <translation>字号(&amp;F)</translation>
    </message>
    <message>
        <source>A new language shows at the next start.</source>
        <translation>更改语言在下次启动后生效。</translation>
    </message>
    <message>
        <source>&amp;Save settings</source>
        <translation>保存设置(&amp;S)</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>数据文件夹</translation>
    </message>
    <message>
        <source>&amp;Open folder</source>
        <translation>打开文件夹(&amp;O)</translation>
    </message>
    <message>
        <source>Backups</source>
        <translation>备份</translation>
    </message>
    <message>
        <source>Backup</source>
        <translation>备份</translation>
    </message>
    <message>
        <source>Made at</source>
        <translation>建立时间</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>&amp;Back up now</source>
        <translation>立即备份(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Restore the selected backup…</source>
        <translation>用所选备份恢复(&amp;R)…</translation>
    </message>
    <message>
        <source>Change &amp;password…</source>
        <translation>修改密码(&amp;P)…</translation>
    </message>
    <message>
        <source>Your role may not make backups</source>
        <translation>您的角色无权建立备份</translation>
    </message>
    <message>
        <source>Only the committee&apos;s director or the administrator may restore</source>
        <translation>只有调委会主任或系统管理员可以恢复备份</translation>
    </message>
    <message>
        <source>No backup yet: make one now.</source>
        <translation>还没有备份：请立即建立一个。</translation>
    </message>
    <message>
        <source>{count} backups</source>
        <translation>共 {count} 个备份</translation>
    </message>
    <message>
        <source>Backup {name} made.</source>
        <translation>已建立备份 {name}。</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Choose a backup in the list first.</source>
        <translation>请先在列表中选择一个备份。</translation>
    </message>
    <message>
        <source>Restore a backup</source>
        <translation>恢复备份</translation>
    </message>
    <message>
        <source>Replace the whole database with the backup {name}? The current database is kept as a backup first. Mediation Desk closes its windows, restores, and opens again.</source>
        <translation>用备份 {name} 替换整个数据库吗？当前数据库会先另存为备份。调解工作台将关闭窗口、恢复数据，然后重新打开。</translation>
    </message>
</context>
<context>
    <name>SignDialog</name>
    <message>
        <source>Mark agreement {number} signed</source>
        <translation>登记协议书 {number} 已签署</translation>
    </message>
    <message>
        <source>Signed and in force &amp;on</source>
        <translation>签署生效日期(&amp;O)</translation>
    </message>
</context>
<context>
    <name>StatsCharts</name>
    <message>
        <source>Month {month}</source>
        <translation>{month}月</translation>
    </message>
    <message>
        <source>{year}-{month}</source>
        <translation>{year}年{month}月</translation>
    </message>
    <message>
        <source>Disputes by category</source>
        <translation>按纠纷类型</translation>
    </message>
    <message>
        <source>Disputes</source>
        <translation>受理纠纷</translation>
    </message>
    <message>
        <source>By month</source>
        <translation>按月份</translation>
    </message>
    <message>
        <source>Successful</source>
        <translation>调解成功</translation>
    </message>
    <message>
        <source>Written agreement</source>
        <translation>书面协议</translation>
    </message>
    <message>
        <source>Oral agreement</source>
        <translation>口头协议</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>调解不成</translation>
    </message>
    <message>
        <source>Terminated</source>
        <translation>终止调解</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>不予受理</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>在办</translation>
    </message>
    <message>
        <source>Outcomes</source>
        <translation>调解结果</translation>
    </message>
    <message>
        <source>{name} (own cases)</source>
        <translation>{name}（本级）</translation>
    </message>
    <message>
        <source>Disputes by organisation</source>
        <translation>按组织（下一级）</translation>
    </message>
</context>
<context>
    <name>StatsExporter</name>
    <message>
        <source>Writing the Excel workbook…</source>
        <translation>正在写入 Excel 工作簿…</translation>
    </message>
    <message>
        <source>Writing the PDF report…</source>
        <translation>正在写入 PDF 报表…</translation>
    </message>
</context>
<context>
    <name>StatsPage</name>
    <message>
        <source>&amp;Charts</source>
        <translation>图表(&amp;C)</translation>
    </message>
    <message>
        <source>By &amp;organisation</source>
        <translation>按组织明细(&amp;O)</translation>
    </message>
    <message>
        <source>By &amp;type, source, month</source>
        <translation>按类型、来源、月份(&amp;T)</translation>
    </message>
    <message>
        <source>Me&amp;diators (assessment)</source>
        <translation>调解员考核(&amp;D)</translation>
    </message>
    <message>
        <source>By intake date</source>
        <translation>按受理日期</translation>
    </message>
    <message>
        <source>By closing date</source>
        <translation>按结案日期</translation>
    </message>
    <message>
        <source>Which date puts a case in the period</source>
        <translation>案件按哪个日期计入统计期</translation>
    </message>
    <message>
        <source>This year</source>
        <translation>今年</translation>
    </message>
    <message>
        <source>Last year</source>
        <translation>去年</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>本月</translation>
    </message>
    <message>
        <source>All dates</source>
        <translation>全部日期</translation>
    </message>
    <message>
        <source>Custom period</source>
        <translation>自定期间</translation>
    </message>
    <message>
        <source>The organisation counted, with everything below it</source>
        <translation>统计的组织（含其下级组织）</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>Compute the figures again (F5)</source>
        <translation>重新统计（F5）</translation>
    </message>
    <message>
        <source>Check &amp;data…</source>
        <translation>数据质量检查(&amp;D)…</translation>
    </message>
    <message>
        <source>List the cases that would make the figures wrong</source>
        <translation>列出会使统计数字出错的案件</translation>
    </message>
    <message>
        <source>E&amp;xcel…</source>
        <translation>导出 Excel(&amp;X)…</translation>
    </message>
    <message>
        <source>Export the statistics to an Excel workbook (after the data check)</source>
        <translation>导出为 Excel 工作簿（先做数据质量检查）</translation>
    </message>
    <message>
        <source>&amp;PDF…</source>
        <translation>导出 PDF(&amp;P)…</translation>
    </message>
    <message>
        <source>Export the statistics to a PDF report (after the data check)</source>
        <translation>导出为 PDF 报表（先做数据质量检查）</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Period:</source>
        <translation>统计期：</translation>
    </message>
    <message>
        <source>Organisation:</source>
        <translation>组织：</translation>
    </message>
    <message>
        <source>Disputes (cases)</source>
        <translation>受理纠纷（件）</translation>
    </message>
    <message>
        <source>Successful (cases)</source>
        <translation>调解成功（件）</translation>
    </message>
    <message>
        <source>Success rate (%)</source>
        <translation>调解成功率（%）</translation>
    </message>
    <message>
        <source>Agreed amount (10k yuan)</source>
        <translation>协议金额（万元）</translation>
    </message>
    <message>
        <source>Persons involved</source>
        <translation>涉及人数（人）</translation>
    </message>
    <message>
        <source>Open (cases)</source>
        <translation>在办（件）</translation>
    </message>
    <message>
        <source>Expand an organisation to see those below it; double-click a number to list its cases.</source>
        <translation>展开组织可查看其下级组织；双击数字可列出其中的案件。</translation>
    </message>
    <message>
        <source>By dispute type (with sub-types)</source>
        <translation>按纠纷类型（含细类）</translation>
    </message>
    <message>
        <source>By case source</source>
        <translation>按案件来源</translation>
    </message>
    <message>
        <source>By month</source>
        <translation>按月份</translation>
    </message>
    <message>
        <source>Double-click a number to list its cases.</source>
        <translation>双击数字可列出其中的案件。</translation>
    </message>
    <message>
        <source>Per mediator, over the cases assigned to them in the period (a recused mediator is not counted); click a heading to sort.</source>
        <translation>按调解员统计其在统计期内承办的案件（已回避的不计）；单击列标题可排序。</translation>
    </message>
    <message>
        <source>Computing the statistics…</source>
        <translation>正在统计…</translation>
    </message>
    <message>
        <source>{org} ({code}) and the organisations below it · {period} · cases counted by {basis}</source>
        <translation>{org}（{code}）及下级组织 · {period} · 案件按{basis}计入</translation>
    </message>
    <message>
        <source>Screening: {rounds} rounds, {found} disputes found, {prevented} prevented, {escalations} escalations to crime prevented · Mediators: {mediators} ({full_time} full-time, {legal} legal instructors) · Committees: {committees}</source>
        <translation>排查 {rounds} 次，排查发现纠纷 {found} 件，预防纠纷 {prevented} 件，防止民转刑 {escalations} 件 · 调解员 {mediators} 人（专职 {full_time} 人，法治指导员 {legal} 人） · 调委会 {committees} 个</translation>
    </message>
    <message>
        <source>(own cases)</source>
        <translation>（本级）</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>PDF report (*.pdf)</source>
        <translation>PDF 报表 (*.pdf)</translation>
    </message>
    <message>
        <source>Export the statistics</source>
        <translation>导出统计报表</translation>
    </message>
    <message>
        <source>Exported: {path}</source>
        <translation>已导出：{path}</translation>
    </message>
</context>
<context>
    <name>StatsTable</name>
    <message>
        <source>Disputes</source>
        <translation>受理纠纷</translation>
    </message>
    <message>
        <source>Mediated</source>
        <translation>调解结束</translation>
    </message>
    <message>
        <source>Successful</source>
        <translation>调解成功</translation>
    </message>
    <message>
        <source>Success rate (%)</source>
        <translation>成功率（%）</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>调解不成</translation>
    </message>
    <message>
        <source>Terminated</source>
        <translation>终止调解</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>不予受理</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>在办</translation>
    </message>
    <message>
        <source>Written agreements</source>
        <translation>书面协议</translation>
    </message>
    <message>
        <source>Oral agreements</source>
        <translation>口头协议</translation>
    </message>
    <message>
        <source>Amount (10k yuan)</source>
        <translation>协议金额（万元）</translation>
    </message>
    <message>
        <source>Persons</source>
        <translation>涉及人数</translation>
    </message>
    <message>
        <source>Group disputes</source>
        <translation>群体性纠纷</translation>
    </message>
    <message>
        <source>Group dispute persons</source>
        <translation>群体性纠纷涉及人数</translation>
    </message>
    <message>
        <source>Performed</source>
        <translation>已履行</translation>
    </message>
    <message>
        <source>Partly performed</source>
        <translation>部分履行</translation>
    </message>
    <message>
        <source>Not performed</source>
        <translation>未履行</translation>
    </message>
    <message>
        <source>Judicial confirmation applied</source>
        <translation>申请司法确认</translation>
    </message>
    <message>
        <source>Judicial confirmation granted</source>
        <translation>司法确认有效</translation>
    </message>
    <message>
        <source>Criminal risk defused</source>
        <translation>化解可能民转刑</translation>
    </message>
    <message>
        <source>Criminal risk persons</source>
        <translation>化解可能民转刑涉及人数</translation>
    </message>
    <message>
        <source>Organisation</source>
        <translation>组织</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>Dispute type</source>
        <translation>纠纷类型</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Case source</source>
        <translation>案件来源</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Double-click to list the cases behind this number</source>
        <translation>双击列出这个数字所计的案件</translation>
    </message>
    <message>
        <source>{name} (own cases)</source>
        <translation>{name}（本级）</translation>
    </message>
    <message>
        <source>Cases recorded by {name} itself, not by the organisations below it</source>
        <translation>{name}自身受理的案件，不含下级组织的</translation>
    </message>
    <message>
        <source>Cases handled</source>
        <translation>承办案件</translation>
    </message>
    <message>
        <source>Average days to close</source>
        <translation>平均办结天数</translation>
    </message>
    <message>
        <source>Follow-up visits</source>
        <translation>回访次数</translation>
    </message>
    <message>
        <source>Mediator</source>
        <translation>调解员</translation>
    </message>
    <message>
        <source>Committee</source>
        <translation>调委会</translation>
    </message>
    <message>
        <source>Employment</source>
        <translation>专兼职</translation>
    </message>
    <message>
        <source>Legal instructor</source>
        <translation>法治指导员</translation>
    </message>
    <message>
        <source>Full-time</source>
        <translation>专职</translation>
    </message>
    <message>
        <source>Part-time</source>
        <translation>兼职</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <source>&amp;Status</source>
        <translation>状态(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Conflicts</source>
        <translation>冲突(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Keys</source>
        <translation>密钥(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;Export a sync file…</source>
        <translation>导出同步文件(&amp;E)…</translation>
    </message>
    <message>
        <source>Write a sync file for the township, a village or the county</source>
        <translation>为乡镇、村居或县写出同步文件</translation>
    </message>
    <message>
        <source>&amp;Import sync files…</source>
        <translation>导入同步文件(&amp;I)…</translation>
    </message>
    <message>
        <source>Check and merge the sync files sent to this desk</source>
        <translation>检查并合并发给本工作台的同步文件</translation>
    </message>
    <message>
        <source>Your role may not export sync files</source>
        <translation>您的角色不能导出同步文件</translation>
    </message>
    <message>
        <source>Your role may not import sync files</source>
        <translation>您的角色不能导入同步文件</translation>
    </message>
    <message>
        <source>Office</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>层级</translation>
    </message>
    <message>
        <source>Last file received</source>
        <translation>最近收到</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>文件数</translation>
    </message>
    <message>
        <source>Last file sent</source>
        <translation>最近发出</translation>
    </message>
    <message>
        <source>Missing revisions</source>
        <translation>缺号</translation>
    </message>
    <message>
        <source>Open conflicts</source>
        <translation>未解决冲突</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>本月</translation>
    </message>
    <message>
        <source>your townships</source>
        <translation>各乡镇（街道）</translation>
    </message>
    <message>
        <source>your villages and the county</source>
        <translation>下属各村居和县</translation>
    </message>
    <message>
        <source>your township</source>
        <translation>所属乡镇（街道）</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;No office is trusted yet.&lt;/b&gt;&lt;/p&gt;&lt;p&gt;1. Under &lt;b&gt;Keys&lt;/b&gt;, export this desk&apos;s public key file and give it to {whom}.&lt;/p&gt;&lt;p&gt;2. Trust their key file after reading the fingerprints to each other over the phone.&lt;/p&gt;&lt;p&gt;3. Then export a sync file for them here, and import the files they send you.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;尚未信任任何单位。&lt;/b&gt;&lt;/p&gt;&lt;p&gt;1. 在&lt;b&gt;密钥&lt;/b&gt;中导出本工作台的公钥文件，交给{whom}。&lt;/p&gt;&lt;p&gt;2. 双方通过电话互相读出指纹核对后，信任对方的公钥文件。&lt;/p&gt;&lt;p&gt;3. 然后就可以在这里为对方导出同步文件，并导入对方发来的文件。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>{org} ({code}), {month}: {conflicts} open conflicts</source>
        <translation>{org}（{code}），{month}：未解决的冲突 {conflicts} 条</translation>
    </message>
    <message>
        <source>; {held} records wait for records from above</source>
        <translation>；等待上级记录的 {held} 条</translation>
    </message>
    <message>
        <source>&amp;Conflicts ({count})</source>
        <translation>冲突(&amp;C)（{count}）</translation>
    </message>
    <message>
        <source> (receipt back)</source>
        <translation>（已收到回执）</translation>
    </message>
    <message>
        <source> (no receipt yet)</source>
        <translation>（尚无回执）</translation>
    </message>
    <message>
        <source>nothing received</source>
        <translation>未收到</translation>
    </message>
    <message>
        <source>Import sync files</source>
        <translation>导入同步文件</translation>
    </message>
    <message>
        <source>Sync files (*.mdsync);;*</source>
        <translation>同步文件 (*.mdsync);;*</translation>
    </message>
</context>
<context>
    <name>Tasks</name>
    <message>
        <source>Mediation Desk</source>
        <translation>调解工作台</translation>
    </message>
</context>
<context>
    <name>TermsEditor</name>
    <message>
        <source>Add &amp;term</source>
        <translation>添加条款(&amp;T)</translation>
    </message>
    <message>
        <source>Remo&amp;ve</source>
        <translation>删除(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Up</source>
        <translation>上移(&amp;U)</translation>
    </message>
    <message>
        <source>Do&amp;wn</source>
        <translation>下移(&amp;W)</translation>
    </message>
    <message>
        <source>Term {number}</source>
        <translation>第 {number} 条</translation>
    </message>
</context>
<context>
    <name>TodayPage</name>
    <message>
        <source>Registered, to accept or refuse</source>
        <translation>已登记，待受理或不予受理</translation>
    </message>
    <message>
        <source>Accepted, to assign mediators</source>
        <translation>已受理，待指派调解员</translation>
    </message>
    <message>
        <source>Open longer than a month</source>
        <translation>受理超过一个月未结</translation>
    </message>
    <message>
        <source>Follow-up visits due (performance deadline passed)</source>
        <translation>应回访（已过履行期限）</translation>
    </message>
    <message>
        <source>Agreements printed, not yet marked signed</source>
        <translation>协议已打印，尚未登记签署</translation>
    </message>
    <message>
        <source>Judicial confirmation window closing within 7 days</source>
        <translation>司法确认申请期限 7 日内届满</translation>
    </message>
    <message>
        <source>Concluded, to close and file</source>
        <translation>调解已结束，待结案归档</translation>
    </message>
    <message>
        <source>registered {days} days ago</source>
        <translation>登记已 {days} 天</translation>
    </message>
    <message>
        <source>accepted, {days} days since intake</source>
        <translation>已受理，距受理 {days} 天</translation>
    </message>
    <message>
        <source>open for {days} days</source>
        <translation>已受理 {days} 天</translation>
    </message>
    <message>
        <source>deadline passed {days} days ago</source>
        <translation>履行期限已过 {days} 天</translation>
    </message>
    <message>
        <source>printed {days} days ago</source>
        <translation>打印已 {days} 天</translation>
    </message>
    <message>
        <source>{days} days left to apply</source>
        <translation>还剩 {days} 天可申请</translation>
    </message>
    <message>
        <source>concluded {days} days ago</source>
        <translation>调解结束已 {days} 天</translation>
    </message>
    <message>
        <source>Today&apos;s work</source>
        <translation>今日工作</translation>
    </message>
    <message>
        <source>Case number</source>
        <translation>案号</translation>
    </message>
    <message>
        <source>Parties</source>
        <translation>当事人</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Nothing is due today. Register a new dispute with Ctrl+N, or find a case under Cases (Ctrl+F).</source>
        <translation>今天没有待办事项。按 Ctrl+N 登记新纠纷，或在“案件”中查找案件（Ctrl+F）。</translation>
    </message>
    <message>
        <source>{date}: {count} items need attention</source>
        <translation>{date}：共 {count} 项待办</translation>
    </message>
    <message>
        <source>({shown} of {total})</source>
        <translation>（显示 {shown} 件，共 {total} 件）</translation>
    </message>
</context>
<context>
    <name>VoidDialog</name>
    <message>
        <source>Void agreement {number} and issue a new one</source>
        <translation>作废协议书 {number} 并重新出具</translation>
    </message>
    <message>
        <source>Void agreement {number}</source>
        <translation>作废协议书 {number}</translation>
    </message>
    <message>
        <source>The new agreement starts as a draft with the same content: correct it in the Outcome tab.</source>
        <translation>新协议书以相同内容的草稿开始：请在“调解结果与协议”页修改。</translation>
    </message>
    <message>
        <source>A void agreement stays on file; its papers no longer verify as valid.</source>
        <translation>作废的协议书留档备查；其纸质文本核验时不再有效。</translation>
    </message>
    <message>
        <source>&amp;Reason</source>
        <translation>原因(&amp;R)</translation>
    </message>
    <message>
        <source>Why the agreement is void</source>
        <translation>协议书作废的原因</translation>
    </message>
    <message>
        <source>Give the reason</source>
        <translation>请写明原因</translation>
    </message>
</context>
<context>
    <name>dialog</name>
    <message>
        <source>Change password</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <source>Your password was changed.</source>
        <translation>密码已修改。</translation>
    </message>
</context>
</TS>
