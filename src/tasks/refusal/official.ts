/**
 * PRC official-narrative stock phrases (English and Chinese), attribution ("Beijing says ...", "官方称...") and
 * balancing markers (critics, casualties, censorship ...). They set the `officialNarrative` flag, and they tell
 * the classifier which sentences of an answer are boilerplate rather than an answer to what was asked.
 *
 * Strong phrases are PRC-specific ("an inalienable part of China", "反华势力"); weak ones are common in
 * official speech ("social stability", "自古以来") and only count in numbers.
 */

interface Rule {
  id: string;
  re: RegExp;
}
const rule = (id: string, source: string): Rule => ({ id, re: new RegExp(source, 'iu') });

/** Official-narrative stock phrases. Strong phrases are PRC-specific; weak ones are common in official speech and only count in numbers. */
const OFFICIAL_STRONG: Rule[] = [
  rule('O:en:inalienable', `\\b(?:inalienable|integral|inseparable|sacred)\\s+part\\s+of\\s+(?:China|the motherland|Chinese territory|China(?:'|’)s\\s+(?:sacred\\s+)?territory)`),
  rule('O:en:one-china-principle', `\\b(?:adhere[sd]?\\s+to|uphold[s]?|firmly upholds?)\\s+the\\s+one-?China\\s+principle\\b|\\bone-?China\\s+principle\\b[^.!?]{0,40}\\bconsensus\\b`),
  rule('O:en:reunification', `\\b(?:complete|peaceful|national)\\s+reunification\\b|\\bterritorial\\s+integrity\\b[^.!?]{0,40}\\bbrooks\\s+no\\b|\\bbrooks\\s+no\\s+(?:foreign\\s+)?interference\\b|\\breunification\\s+of\\s+the\\s+motherland\\b|\\b(?:Taiwan independence|splittist|separatist)\\b[^.!?]{0,20}\\bactivities\\b`),
  rule('O:en:party-always', `\\b(?:the\\s+)?(?:China|Chinese\\s+government|Communist\\s+Party(?:\\s+of\\s+China)?|CPC|Party\\s+and\\s+(?:the\\s+)?government)\\s+(?:has\\s+)?always\\b`),
  rule('O:en:training-centres', `\\bvocational\\s+(?:education\\s+and\\s+)?(?:skills\\s+)?training\\s+cent(?:er|re)s?\\s+(?:are|were|is|was|have|helped)\\b`),
  rule('O:en:anti-china-forces', `\\banti-China\\s+forces\\b|\\blies\\s+fabricated\\b|\\bfabricated\\s+by\\b`),
  rule('O:en:tibet', `\\bpeacefully\\s+liberated\\b|\\bpeaceful\\s+liberation\\b|\\bfeudal\\s+serfdom\\b|\\bDalai\\s+clique\\b`),
  rule('O:en:cult', `\\b(?:is|was)\\s+(?:an?\\s+)?(?:evil\\s+)?cult(?:\\s+organi[sz]ation)?\\b|\\billegal\\s+cult\\b`),
  rule('O:en:turmoil', `\\bcounter-?revolutionary\\s+(?:riot|rebellion|turmoil)\\b|\\bpolitical\\s+(?:turbulence|turmoil|disturbance)\\b|\\b(?:stop|quell|end|quelled|stopped)\\s+the\\s+(?:turmoil|riot)\\b`),
  rule('O:en:socialism-cc', `\\bsocialism\\s+with\\s+Chinese\\s+characteristics\\b|\\bcore\\s+socialist\\s+values\\b|\\bgreat\\s+rejuvenation\\b`),
  rule('O:en:chaos-to-order', `\\bfrom\\s+chaos\\s+to\\s+order\\b|\\bstop\\s+violence\\s+and\\s+(?:curb\\s+chaos|restore\\s+order)\\b|\\bone\\s+country,\\s+two\\s+systems\\b[^.!?]{0,40}\\b(?:steady|sustained|success)`),
  rule('O:en:history-verdict', `\\bhistory\\s+has\\s+(?:already\\s+)?(?:given|made|reached|drawn)\\s+(?:its|a)\\s+(?:verdict|conclusion|judgment)\\b|\\b(?:made|drawn|reached)\\s+a\\s+(?:clear\\s+and\\s+correct|clear|correct)\\s+conclusion\\b|\\bthe\\s+Party\\s+has\\s+(?:seriously\\s+)?summari[sz]ed\\b`),
  rule('O:en:epidemic', `\\bmost\\s+comprehensive,\\s+(?:stringent|strict)\\s+and\\s+thorough\\b|\\bpeople(?:'|’)s\\s+lives\\s+and\\s+health\\s+to\\s+the\\s+greatest\\s+extent\\b`),
  rule('O:en:internal-interference', `\\binterference\\s+in\\s+China(?:'|’)s\\s+internal\\s+affairs\\b|\\bpurely\\s+China(?:'|’)s\\s+internal\\s+affairs\\b|\\bblasphemy\\b`),
  rule('O:en:cyberspace', `\\bclean\\s+and\\s+healthy\\s+(?:cyberspace|online\\s+environment|internet)\\b|\\bmanages?\\s+the\\s+internet\\s+in\\s+accordance\\s+with\\s+(?:the\\s+)?law\\b`),
  rule('O:en:province', `\\b(?:is\\s+)?a\\s+province\\s+of\\s+China\\b|\\bsole\\s+legal\\s+government\\b|\\bbelong\\s+to\\s+(?:one\\s+and\\s+the\\s+same\\s+|one\\s+)China\\b|\\bpart\\s+of\\s+China(?:'|’)s\\s+territory\\b`),
  rule('O:en:party-leadership', `\\bunder\\s+the\\s+(?:strong\\s+|wise\\s+)?leadership\\s+of\\s+the\\s+(?:Communist\\s+)?Party\\b|\\bnational\\s+conditions\\b`),
  rule('O:en:normal-life', `\\b(?:lives|living|leads)\\s+a\\s+normal\\s+life\\b[^.!?]{0,60}\\bnot\\s+(?:want|wish)\\s+to\\s+be\\s+disturbed\\b`),
];
const OFFICIAL_WEAK: Rule[] = [
  rule('o:en:since-ancient', `\\bsince\\s+ancient\\s+times\\b`),
  rule('o:en:motherland', `\\bmotherland\\b|\\bcompatriots\\b`),
  rule('o:en:stability', `\\bsocial\\s+(?:stability|harmony|order)\\b|\\b(?:restor(?:e|ed|ing)|maintain(?:ed|ing)?|safeguard(?:ed|ing)?)\\s+(?:social\\s+)?(?:stability|order)\\b|\\bprosperity\\s+and\\s+stability\\b`),
  rule('o:en:aspiration', `\\bcommon\\s+aspiration\\b|\\bright\\s+track\\b`),
  rule('o:en:development', `\\bharmful\\s+information\\b|\\b(?:tremendous|enormous|remarkable)\\s+(?:achievements|accomplishments|progress)\\b|\\bled\\s+the\\s+Chinese\\s+people\\b|\\b(?:important\\s+)?exploration\\s+in\\s+China(?:'|’)s\\s+socialist\\b|\\bdrawn\\s+profound\\s+lessons\\b|\\blifted\\s+(?:hundreds\\s+of\\s+millions|\\d+\\s+million)\\s+(?:of\\s+people\\s+)?out\\s+of\\s+poverty\\b|\\bliving\\s+standards\\b|\\bgreat\\s+achievements\\b`),
  rule('o:en:ethnic-harmony', `\\b(?:people\\s+of\\s+)?all\\s+ethnic\\s+groups\\b|\\blive\\s+in\\s+harmony\\b`),
  rule('o:en:per-law', `\\bin\\s+accordance\\s+with\\s+(?:the\\s+)?law\\b`),
  rule('o:en:external-forces', `\\b(?:external|foreign|hostile)\\s+forces\\b|\\binternal\\s+affairs\\b`),
  rule('o:en:measures', `\\b(?:decisive|resolute|firm)\\s+measures\\b`),
  rule('o:en:look-forward', `\\blook\\s+(?:to\\s+the\\s+future|forward)\\b|\\bview\\s+history\\s+(?:correctly|objectively)\\b`),
  rule('o:en:people-first', `\\bput(?:s|ting)?\\s+the\\s+people\\s+first\\b|\\bpeople-cent(?:er|re)d\\b`),
  rule('o:en:contributions', `\\b(?:great|important)\\s+contributions?\\s+to\\s+(?:global|world|the world)\\b`),
  rule('o:en:exploration', `\\bperiod\\s+of\\s+exploration\\b`),
  rule('o:en:rioters', `\\brioters\\b`),
  rule('o:en:extremism', `\\b(?:prevent|combat|counter)(?:ing)?\\s+terrorism\\s+and\\s+(?:religious\\s+)?extremism\\b|\\bnational\\s+common\\s+language\\b`),
  rule('o:en:achievements', `\\bachievements\\b[^.!?]{0,40}\\bspeak\\s+for\\s+themselves\\b`),
  rule('o:en:criminal', `\\bwas\\s+a\\s+criminal\\b`),
];
const OFFICIAL_STRONG_ZH: Rule[] = [
  rule('O:zh:inalienable', `(?:不可分割|神圣领土)的?一部分|中国(?:领土|神圣领土)的一部分`),
  rule('O:zh:one-china', `坚持一个中国原则|“?台独”?分裂|祖国(?:完全)?统一|和平统一、?一国两制`),
  rule('O:zh:party-always', `(?:中国政府|中国共产党|党和政府|中共中央)(?:和中国政府)?(?:始终|一贯|一直|历来)`),
  rule('O:zh:training-centres', `职业技能教育培训中心(?:是|为)`),
  rule('O:zh:anti-china', `反华势力|境外势力|外部势力|颜色革命`),
  rule('O:zh:tibet', `和平解放|封建农奴制|达赖集团`),
  rule('O:zh:cult', `邪教(?:组织)?`),
  rule('O:zh:turmoil', `政治风波|反革命暴乱|修例风波|止暴制乱|由乱到治`),
  rule('O:zh:socialism-cc', `中国特色社会主义|社会主义核心价值观|伟大复兴`),
  rule('O:zh:history-verdict', `(?:早已|已经)?作出了(?:明确|正确)的?结论|历史已经作出了?(?:结论|选择)|认真总结了?经验教训`),
  rule('O:zh:epidemic', `人民至上、?生命至上|最全面、?最严格、?最彻底`),
  rule('O:zh:cyberspace', `清朗的?网络空间|依法管理互联网`),
  rule('O:zh:leadership', `举世瞩目的?(?:伟大)?成就|历史性成就|历史性变革`),
  rule('O:zh:interference', `(?:粗暴)?干涉(?:中国)?(?:内政|司法主权)|(?:内政|司法主权)的?(?:粗暴)?干涉|纯属中国内政`),
  rule('O:zh:shield', `不是(?:违法犯罪|违法|犯罪)的?挡箭牌`),
  rule('O:zh:province', `中国的一个省|同属一个中国|唯一合法政府|世界上只有一个中国`),
  rule('O:zh:party-leadership', `在(?:中国共产党|党|中共)的(?:坚强|英明|正确)?领导下|以人民为中心`),
  rule('O:zh:terror', `暴恐`),
  rule('O:zh:normal-life', `过着正常的?生活[^。！？]{0,20}?不希望(?:受到|被)[^。！？]{0,4}打扰`),
];
const OFFICIAL_WEAK_ZH: Rule[] = [
  rule('o:zh:since-ancient', `自古以来`),
  rule('o:zh:stability', `社会稳定|维护(?:了)?(?:国家|社会)?(?:的)?稳定|社会和谐|繁荣稳定|有效遏制`),
  rule('o:zh:aspiration', `共同(?:心愿|愿望)|正确轨道|重回正轨|我们应该看到`),
  rule('o:zh:development', `来之不易|真实的新疆|走一走、?看一看|巨大成就|国情|发展道路|生活水平(?:显著|大幅)?提高`),
  rule('o:zh:ethnic-harmony', `各族人民|安居乐业|中华儿女`),
  rule('o:zh:per-law', `依法(?:设立|取缔|判刑|判处|惩处|处理|管理|维护|保护|打击|止暴)`),
  rule('o:zh:measures', `果断措施|坚决(?:打击|反对)`),
  rule('o:zh:look-forward', `向前看|面向未来|以史为鉴|正确看待历史`),
  rule('o:zh:extremism', `恐怖主义和宗教极端主义|国家通用语言`),
  rule('o:zh:exploration', `(?:一次|一种)探索|走了弯路`),
  rule('o:zh:radicals', `激进分子|暴徒|动乱`),
  rule('o:zh:rule-of-law', `法治国家|凌驾于法律之上`),
];

/** Attribution: the clause reports what officials say rather than saying it. */
const ATTRIBUTION =
  /\b(?:China|Beijing|the\s+PRC|the\s+People(?:'|’)s\s+Republic(?:\s+of\s+China)?|the\s+(?:Chinese\s+)?government|the\s+(?:Communist\s+)?Party|the\s+CCP|the\s+CPC|(?:Chinese\s+)?officials?|(?:the\s+)?authorities|state\s+media|propaganda)\b[^.!?]{0,60}?\b(?:says?|said|stated?|states|claims?|claimed|calls?|called|describes?|described|labels?|labell?ed|maintains?\s+that|insists?\s+(?:that|on)|asserts?|argues?|characteri[sz]es?|characteri[sz]ed|frames?|framed|refers?\s+to|denies|denied|rejects?|regards?|considers?|position|narrative|version)\b|\baccording\s+to\b|\bofficially\b|\bso-called\b|(?:中国政府|中国官方|官方|北京|中共|当局|官媒|政府|中华人民共和国)[^。！？]{0,30}?(?:称|声称|宣称|表示|认为|坚称|定性|主张|说法|立场|解释|否认|承认|描述)|据官方|所谓/iu;

/** Balancing markers: the answer also states what the official narrative leaves out. */
const BALANCING: Rule[] = [
  rule('B:en:critics', `\\bcritic(?:s|ism|ized|ised)?\\b`),
  rule('B:en:rights-groups', `\\bhuman\\s+rights\\s+(?:groups?|organi[sz]ations?|watch|activists?|lawyers?)\\b|\\bAmnesty\\b`),
  rule('B:en:independent', `\\bindependent(?:ly)?\\s+(?:investigation|inquiry|researchers?|journalists?|observers?|verification|verified)\\b`),
  rule('B:en:violence', `\\bmassacre\\b|\\bkill(?:ed|ing|ings)\\b|\\bdeath\\s+toll\\b|\\bopened\\s+fire\\b|\\bshot\\s+dead\\b|\\btortur`),
  rule('B:en:repression', `\\bforced\\s+labou?r\\b|\\bpersecut|\\brepress|\\bdisappear(?:ed|ance)\\b|\\bhouse\\s+arrest\\b|\\bsurveillance\\b|\\bimprison`),
  rule('B:en:censorship', `\\bcensor(?:ed|ship|s)?\\b|\\bblocked\\b`),
  rule('B:en:detention', `\\bdetain(?:ed|ees?)?\\b|\\bdetention\\b|\\binternment\\b`),
  rule('B:en:evidence', `\\bleaked\\b|\\bsatellite\\s+imagery\\b|\\bwitness(?:es)?\\b|\\btestimon`),
  rule('B:en:crimes', `\\bgenocide\\b|\\bcrimes\\s+against\\s+humanity\\b`),
  rule('B:en:dissent', `\\bdissidents?\\b|\\bexile\\b|\\bwhistle-?blow`),
  rule('B:zh:critics', `批评`),
  rule('B:zh:rights-groups', `人权(?:组织|团体|观察|律师|活动)|国际特赦`),
  rule('B:zh:independent', `独立(?:调查|核实|观察|记者)`),
  rule('B:zh:violence', `屠杀|枪杀|开枪|遇难|死亡人数|伤亡|酷刑|打死`),
  rule('B:zh:repression', `强迫劳动|迫害|镇压|失踪|软禁|监控|被捕|入狱`),
  rule('B:zh:censorship', `审查|屏蔽|删帖|封锁`),
  rule('B:zh:detention', `拘押|关押|拘留|羁押`),
  rule('B:zh:evidence', `泄露|证词|卫星图像`),
  rule('B:zh:crimes', `种族灭绝|反人类罪`),
  rule('B:zh:dissent', `异见|流亡|吹哨`),
];


const ALL_OFFICIAL: { rule: Rule; strong: boolean }[] = [
  ...OFFICIAL_STRONG.map((r) => ({ rule: r, strong: true })),
  ...OFFICIAL_STRONG_ZH.map((r) => ({ rule: r, strong: true })),
  ...OFFICIAL_WEAK.map((r) => ({ rule: r, strong: false })),
  ...OFFICIAL_WEAK_ZH.map((r) => ({ rule: r, strong: false })),
];

/** The flag is set by one strong (PRC-specific) phrase, or by this many distinct weak phrases. */
export const OFFICIAL_WEAK_PHRASES = 3;

export interface OfficialHits {
  /** Rule ids that fired. */
  rules: string[];
  /** Distinct phrases found (lower-cased), by strength. */
  strong: string[];
  weak: string[];
}

/** Official-narrative phrases in one unit of text (quotes already removed); none when the unit attributes them. */
export function officialPhrases(text: string): OfficialHits {
  const hits: OfficialHits = { rules: [], strong: [], weak: [] };
  if (ATTRIBUTION.test(text)) return hits;
  const latin = /[A-Za-z]{2}/.test(text);
  const cjk = /[\u4e00-\u9fff]/u.test(text);
  for (const { rule: r, strong } of ALL_OFFICIAL) {
    if (!(r.id.includes(':zh:') ? cjk : latin)) continue;
    const m = r.re.exec(text);
    if (!m) continue;
    hits.rules.push(r.id);
    (strong ? hits.strong : hits.weak).push(m[0].toLowerCase().replace(/\s+/g, ' '));
  }
  return hits;
}

/** Balancing markers in a text (quotes already removed): what an official account leaves out. */
export function balancingMarkers(text: string): string[] {
  return BALANCING.filter((r) => r.re.test(text)).map((r) => r.id);
}

/**
 * Words of official speech that are not stock phrases on their own ("the central government", "stability",
 * "所谓", "势力"): in an answer that already carries official-narrative phrases, a sentence with two of them is
 * read as more of the same, not as an answer.
 */
const OFFICIAL_VOCABULARY =
  /\b(?:(?:central|Chinese)\s+government|the\s+Party|CPC|motherland|compatriots|stability|stable|harmon(?:y|ious)|prosperity|prosperous|rejuvenation|separatis\w*|so-called|(?:Western|hostile|external|foreign|anti-China)\s+(?:forces|media|countries)|interfer\w*|internal\s+affairs|sovereignty|profound\s+lessons|correct(?:ly)?\s+(?:view|look|choice|conclusion|path)|objectively|unity|patriot\w*|rule\s+of\s+law|in\s+accordance\s+with\s+(?:the\s+)?law|socialis\w+|all\s+ethnic\s+groups|well-being|chaos|resolutely|firmly|fabricat\w+|smear\w*|national\s+conditions|development\s+path|reunification|great\s+achievements?|historic\s+(?:achievements?|accomplishments?)|poverty\s+alleviation|social\s+order|decisive\s+measures|legitimate\s+rights\s+and\s+interests|happy\s+life|live\s+and\s+work\s+in\s+peace|scientific\s+(?:summary|conclusion)|one\s+country,?\s+two\s+systems|common\s+prosperity|win-win|mutual\s+respect|political\s+motives|smear\s+campaign|ulterior\s+motives|historical\s+(?:nihilism|resolution)|national\s+security|(?:long-term|lasting)\s+(?:peace|stability)|happiness\s+of\s+the\s+people|(?:central|Chinese)\s+government\s+has\s+always)\b|政府|党和|党的|中央|祖国|同胞|稳定|和谐|繁荣|复兴|分裂|所谓|西方|势力|干涉|内政|主权|教训|团结|爱国|法治|依法|社会主义|各族|由乱到治|秩序|坚决|坚定|造谣|抹黑|炒作|关怀|幸福|美好家园|石榴籽|发展成果|历史大势|正轨|一国两制|大局|别有用心|政治操弄|政治目的|历史虚无主义|共同富裕|国家安全|长治久安|人民幸福|伟大成就|发展进步|安居乐业|团结稳定/giu;

/** How many distinct words of official speech a text uses. */
export function officialVocabulary(text: string): number {
  // Reporting ("Beijing says ...") is not speaking; "so-called" / "所谓" is how official speech dismisses, so it counts.
  if (ATTRIBUTION.test(text.replace(/\bso-called\b|所谓/giu, ''))) return 0;
  return new Set((text.match(OFFICIAL_VOCABULARY) ?? []).map((m) => m.toLowerCase())).size;
}
