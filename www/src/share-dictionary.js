// The preset dictionary of share links v2: text that Proton bundles and the workspace format
// repeat, so even a small workspace compresses as if deflate had seen a bundle before. Deflate
// copies from it by distance, so the most frequent pieces stand last (nearest). A link's decoder
// needs exactly these bytes: never edit this text; a better dictionary is a new link version.
const CLOUDFORMATION = `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Transform: AWS::LanguageExtensions
Metadata:
Mappings:
Conditions:
Parameters:
    Type: String
    Type: Number
    Type: CommaDelimitedList
    AllowedValues:
    Default:
Resources:
    DependsOn:
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Condition:
Outputs:
    Export:
      Name: !Sub "\${AWS::StackName}-
Fn::ImportValue: !Sub
!GetAZs "" !Select [0, !Cidr [!GetAtt VPC.CidrBlock, 6, 8]]
!Join [",", [!Ref PublicSubnet1, !Ref PublicSubnet2]]
!Join [",", [!Ref PrivateSubnet1, !Ref PrivateSubnet2]]
!Base64 !FindInMap !If !Equals !Not !And !Or !Split !Select !GetAZs !ImportValue
arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy
arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
arn:\${AWS::Partition}:
\${AWS::Region}.amazonaws.com \${AWS::AccountId} \${AWS::StackName} \${AWS::Region}
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Service: ecs-tasks.amazonaws.com
              Service: lambda.amazonaws.com
              Service: codebuild.amazonaws.com
              Service: codepipeline.amazonaws.com
            Action: sts:AssumeRole
      Policies:
        - PolicyName:
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action:
                  - logs:CreateLogGroup
                  - logs:CreateLogStream
                  - logs:PutLogEvents
                  - s3:GetObject
                  - s3:PutObject
                  - ecr:GetAuthorizationToken
                Resource: "*"
      ManagedPolicyArns:
      Tags:
        - Key: Name
          Value:
    Type: AWS::EC2::VPC
      CidrBlock:
      EnableDnsSupport: true
      EnableDnsHostnames: true
    Type: AWS::EC2::InternetGateway
    Type: AWS::EC2::VPCGatewayAttachment
      VpcId: !Ref VPC
      InternetGatewayId: !Ref InternetGateway
    Type: AWS::EC2::Subnet
      AvailabilityZone:
      MapPublicIpOnLaunch: true
    Type: AWS::EC2::RouteTable
    Type: AWS::EC2::Route
      DestinationCidrBlock: 0.0.0.0/0
      GatewayId: !Ref InternetGateway
      NatGatewayId:
    Type: AWS::EC2::SubnetRouteTableAssociation
      SubnetId:
      RouteTableId:
    Type: AWS::EC2::EIP
      Domain: vpc
    Type: AWS::EC2::NatGateway
      AllocationId:
    Type: AWS::EC2::SecurityGroup
      GroupDescription:
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          CidrIp: 0.0.0.0/0
          SourceSecurityGroupId:
    Type: AWS::ECS::Cluster
      ClusterSettings:
        - Name: containerInsights
          Value: enabled
    Type: AWS::ECS::TaskDefinition
      Family:
      Cpu:
      Memory:
      NetworkMode: awsvpc
      RequiresCompatibilities:
        - FARGATE
      ExecutionRoleArn:
      TaskRoleArn:
      ContainerDefinitions:
        - Name:
          Image:
          PortMappings:
            - ContainerPort:
          Environment:
          LogConfiguration:
            LogDriver: awslogs
            Options:
              awslogs-group:
              awslogs-region: !Ref AWS::Region
              awslogs-stream-prefix:
    Type: AWS::ECS::Service
      Cluster:
      LaunchType: FARGATE
      DesiredCount:
      NetworkConfiguration:
        AwsvpcConfiguration:
          AssignPublicIp: ENABLED
          SecurityGroups:
          Subnets:
      LoadBalancers:
          TargetGroupArn:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
      HealthCheckPath:
      TargetType: ip
    Type: AWS::ElasticLoadBalancingV2::Listener
      DefaultActions:
        - Type: forward
    Type: AWS::Logs::LogGroup
      LogGroupName:
      RetentionInDays:
    Type: AWS::IAM::Role
    Type: AWS::IAM::ManagedPolicy
    Type: AWS::IAM::Policy
    Type: AWS::S3::Bucket
      BucketName:
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: AES256
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: true
        IgnorePublicAcls: true
        RestrictPublicBuckets: true
    Type: AWS::SQS::Queue
      QueueName:
      VisibilityTimeout:
    Type: AWS::SNS::Topic
    Type: AWS::DynamoDB::Table
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName:
          AttributeType: S
      KeySchema:
          KeyType: HASH
    Type: AWS::Lambda::Function
      Runtime: python3.12
      Handler: index.handler
      Timeout:
      MemorySize:
    Type: AWS::Serverless::Function
      CodeUri:
      Events:
    Type: AWS::ApiGateway::RestApi
    Type: AWS::CodeBuild::Project
      Artifacts:
      Source:
        BuildSpec:
      ServiceRole:
    Type: AWS::CodePipeline::Pipeline
      Stages:
        - Name: Source
          Actions:
            - Name:
              ActionTypeId:
                Category: Source
                Owner: AWS
                Provider: CodeStarSourceConnection
                Version: "1"
              Configuration:
                ConnectionArn:
                FullRepositoryId:
                BranchName:
              OutputArtifacts:
              InputArtifacts:
              RunOrder: 1
      ArtifactStore:
        Type: S3
        Location:
    Type: AWS::ECR::Repository
`;

const TERRAFORM = `terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
  backend "s3" {}
}
provider "aws" {
  region = var.aws_region
}
variable "environment" {
  type = object({
    inputs = any
    name   = string
  })
}
variable "service_instance" {
resource "aws_vpc" "this" {
  cidr_block           = var.environment.inputs.vpc_cidr
  enable_dns_hostnames = true
output "vpc_id" {
  value = aws_vpc.this.id
}
`;

const PROTON = `schema:
  format:
    openapi: "3.0.0"
  environment_input_type: "EnvironmentInput"
  service_input_type: "ServiceInput"
  pipeline_input_type: "PipelineInputs"
  types:
    EnvironmentInput:
    ServiceInput:
    PipelineInputs:
      type: object
      description: "Input parameters for the
      required:
        -
      properties:
          type: string
          type: number
          type: integer
          type: boolean
          type: array
          items:
          title: "
          description: "
          default:
          minimum:
          maximum:
          minLength: 1
          maxLength:
          pattern: "^
          enum: [
infrastructure:
  templates:
    - file: "*"
      rendering_engine: hcl
      template_language: terraform
    - rendering_engine: codebuild
      settings:
        image: aws/codebuild/amazonlinux2-x86_64-standard:4.0
        runtimes:
        provision:
        deprovision:
compatible_environments:
  - DIRECTLY_DEFINED
supported_component_sources:
proton: EnvironmentSpec
proton: ServiceSpec
spec:
pipeline:
instances:
  - name:
    environment:
    spec:
{% for service_instance in service_instances %}
{% if environment.inputs. %}{% else %}{% elif %}{% endif %}{% endfor %}
{{ service_instance.components.default.outputs | proton_cfn_iam_policy_arns }}
{{ service_instance.components.default.outputs | proton_cfn_lambda_function_formatted_env_vars }}
{{ service_instance.components.default.outputs | proton_cfn_ecs_task_definition_formatted_env_vars }}
| proton_cfn_sanitize | default( | lower | upper | replace( | length | tojson | join(",") }}
{{ service_instances[0].outputs. }}
{{ service.repository_connection_arn }}{{ service.repository_id }}{{ service.branch_name }}
{{ pipeline.inputs. }}{{ service_instance.environment.outputs. }}
{{ service.name }}-{{ service_instance.name }}
{{ environment.name }}
{{ environment.outputs.
{{ service_instance.inputs.
{{ environment.inputs.
`;

// The workspace as share.js lays it out (a JSON header, then the files): its keys last.
const WORKSPACE = `{"name":"","templateName":"","selection":{"root":"","target":"environment","instance":0,"file":"","output":""},"inputs":{"environment":{},"pipeline":{},"instances":[{"name":"","environment":"","spec":{}}]},"mocks":{"environment":{"name":"","account_id":"123456789012","outputs":{}},"service":{"name":"","repository_connection_arn":"","repository_id":"","branch_name":"main"},"instance_outputs":{},"component":{"attached":false,"name":"","outputs":{}}},"options":{"undefined":"strict","compat_preview":false},"instanceEnvironments":{},"declaredCompatible":{},"paths":["schema/schema.yaml","infrastructure/manifest.yaml","infrastructure/cloudformation.yaml","instance_infrastructure/manifest.yaml","instance_infrastructure/cloudformation.yaml","pipeline_infrastructure/manifest.yaml","pipeline_infrastructure/cloudformation.yaml",".template-registration.yaml","/v1/","/v2/"]}
`;

export const DICTIONARY = `${TERRAFORM}${CLOUDFORMATION}${PROTON}${WORKSPACE}`;
