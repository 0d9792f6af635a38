import { posix } from 'node:path';
import {
  DefaultStackSynthesizer,
  RemovalPolicy,
  Stack,
  type StackProps,
  Token,
  Validations,
} from 'aws-cdk-lib';
import { AnyPrincipal, Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import { codeBucketName } from '../../lambda/shared/org-names';
import { InvalidPropError } from '../props';

/** Where the member code lives in a code bucket: `member/<content hash>.zip`. */
export const MEMBER_CODE_PREFIX = 'member/';

export interface CodeBucketStackProps extends StackProps {
  /** The organization allowed to read the code (`aws:PrincipalOrgID`). */
  readonly organizationId: string;
  /** Directory holding the member code (lib/org/member-code.ts), zipped as it is. */
  readonly codeDir: string;
}

/**
 * One region's code bucket, in the home account: Lambda reads a function's code only from a
 * bucket in the function's own region, so every target region has one. It holds the member
 * function's zip at a key that changes with its content, so a new version of the code is a new
 * key in the member template and the StackSet update rolls every member function. Any principal
 * of the organization may read the code; nobody else.
 */
export class CodeBucketStack extends Stack {
  readonly bucket: Bucket;
  /** The member code's key in {@link bucket}: `member/<asset hash>.zip`, a plain string. */
  readonly codeKey: string;

  constructor(scope: Construct, id: string, props: CodeBucketStackProps) {
    super(scope, id, props);
    if (Token.isUnresolved(this.account) || Token.isUnresolved(this.region))
      throw new InvalidPropError(
        'CodeBucketStack',
        'env',
        props.env,
        'must name the home account and a region',
      );
    this.bucket = new Bucket(this, 'Code', {
      bucketName: codeBucketName(this.account, this.region),
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // DESTROY without autoDeleteObjects: the deployment below empties its prefix when the stack
      // is deleted (retainOnDelete false), so the bucket is empty by the time it is deleted; no
      // extra custom resource that could empty a bucket the user filled by hand.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // aws:PrincipalOrgID with a fixed value keeps the policy non-public, so BLOCK_ALL stays on.
    this.bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'OrganizationReadsMemberCode',
        effect: Effect.ALLOW,
        principals: [new AnyPrincipal()],
        actions: ['s3:GetObject'],
        resources: [this.bucket.arnForObjects(`${MEMBER_CODE_PREFIX}*`)],
        conditions: { StringEquals: { 'aws:PrincipalOrgID': props.organizationId } },
      }),
    );

    const asset = new Asset(this, 'MemberCode', { path: props.codeDir });
    if (Token.isUnresolved(asset.s3ObjectKey))
      throw new InvalidPropError(
        'CodeBucketStack',
        'synthesizer',
        asset.s3ObjectKey,
        'gives no literal asset key',
      );
    // With extract false the deployment copies the asset's zip as it is, under its own file name.
    this.codeKey = `${MEMBER_CODE_PREFIX}${posix.basename(asset.s3ObjectKey)}`;
    new BucketDeployment(this, 'Publish', {
      sources: [Source.bucket(asset.bucket, asset.s3ObjectKey)],
      destinationBucket: this.bucket,
      destinationKeyPrefix: MEMBER_CODE_PREFIX,
      extract: false,
      // Older zips stay: a member stack rolling back (or one not yet updated) still finds its code.
      prune: false,
      retainOnDelete: false,
    });
    this.acknowledgeFindings();
  }

  private acknowledgeFindings(): void {
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'The bucket holds only the member code zip, written by this stack and read by Lambda when a member stack deploys; server access logs would need a log bucket in every region for no reader.',
    });
    // The deployment's handler is CDK's singleton function at stack level; its role is CDK's.
    const handler = this.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (!handler) return;
    const ack = (finding: string, reason: string): void =>
      Validations.of(handler).acknowledge({ id: `AwsSolutions-${finding}`, reason });
    ack(
      'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      "CDK's BucketDeployment handler writes its own logs with the managed basic execution role; it runs only while this stack deploys.",
    );
    const s3 =
      "CDK's BucketDeployment grants its handler these object actions (Bucket.grantRead on the asset, grantReadWrite on the code bucket), each on one bucket only.";
    for (const action of ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'])
      ack(`IAM5[Action::${action}]`, s3);
    ack(`IAM5[Resource::arn:<AWS::Partition>:s3:::${cdkAssetBucket(this)}/*]`, s3);
    ack(
      'L1',
      "CDK's BucketDeployment handler pins its own Python runtime, upgraded with aws-cdk-lib; it runs only while this stack deploys.",
    );
    ack(`IAM5[Resource::<${this.getLogicalId(this.bucket.node.defaultChild as CfnBucket)}.Arn>/*]`, s3);
  }
}

/** The bootstrap asset bucket of the stack's account and region, as cdk-nag prints it. */
const cdkAssetBucket = (stack: Stack): string =>
  [
    ['Qualifier', DefaultStackSynthesizer.DEFAULT_QUALIFIER],
    ['AWS::AccountId', stack.account],
    ['AWS::Region', stack.region],
  ].reduce(
    (name, [placeholder, value]) => name.replace(`\${${placeholder}}`, value as string),
    DefaultStackSynthesizer.DEFAULT_FILE_ASSETS_BUCKET_NAME,
  );
